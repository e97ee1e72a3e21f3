"""A 一件事一次办 intake through the counter to the hub and back: every case arrives with the bundle, the hub keeps
its id, each case is decided on its own, and the counter sees the bundle done when the last result returns."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.cases.bundle import accept_bundle, bundle_view
from app.cases.service import AttachmentInput
from app.store import open_store
from sync.server import service
from sync.server.models import HubCase
from tests.app._case_kit import prepare
from tests.app.test_bundles import _request
from tests.hall_clock import CLOCK
from tests.sync.conftest import RunningHub
from tests.sync.test_relay import make_relay


def test_a_bundle_goes_to_the_hub_with_its_id_and_comes_back_done(hub: RunningHub, tmp_path: Path) -> None:
    client = open_store(f"sqlite:///{tmp_path / 'counter.db'}")
    try:
        prepare(client)
        scan = AttachmentInput("父母身份证.jpg", b"\xff\xd8" + b"id-card-scan" * 100, "image/jpeg")
        result = accept_bundle(client, _request(files={"parents_ids": (scan,)}), files_dir=tmp_path / "files",
                               clock=CLOCK)
        relay = make_relay(client, hub.url, hub.token, tmp_path)
        assert relay.run_until_idle(timeout=60).sent == 8  # 4 cases, and 办结 + 出件 of the two 即办件
        with hub.hub.store.read() as session:
            rows = session.scalars(select(HubCase).where(HubCase.bundle_id == result.bundle_id)).all()
            assert sorted(r.case_no for r in rows) == sorted(c.summary.case_no for c in result.cases)
            assert all(r.payload["bundle"]["name"] == "新生儿出生一件事" for r in rows)
        pending = [c.summary.case_no for c in result.cases if c.summary.state not in ("handed_over", "approved")]
        assert len(pending) == 2  # 出生医学证明签发 and 社会保障卡申领 wait for their departments
        for no in pending:
            with hub.hub.store.write() as session:
                service.set_result(session, no, "approved", "准予")
        assert relay.run_once().changes == 2
        with client.read() as session:
            view = bundle_view(session, result.bundle_id)
        assert view is not None and view.done and view.done_count == 4
    finally:
        client.dispose()
