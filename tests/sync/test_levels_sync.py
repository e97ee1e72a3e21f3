"""A village 代收 case through the counter to the hub and back: collected at the point, accepted by the office on
the hub (its deadlines start that day), decided, and the result comes back to the point."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases.service import accept
from app.store import open_store
from app.store.models import Case
from sync.server import service
from sync.server.__main__ import main as hub_main
from tests.app.test_levels import FOOD, MONDAY, install, materials, request
from tests.hall_clock import CLOCK
from tests.sync.conftest import RunningHub
from tests.sync.test_relay import hub_cases, make_relay


def test_a_village_collected_case_is_accepted_by_the_office_and_decided(
        hub: RunningHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    client = open_store(f"sqlite:///{tmp_path / 'village.db'}")
    try:
        install(client)
        result = accept(client, request(FOOD, materials(client, FOOD)), files_dir=tmp_path / "files", clock=CLOCK)
        no = result.summary.case_no
        relay = make_relay(client, hub.url, hub.token, tmp_path)
        assert relay.run_until_idle(timeout=60).sent == 1
        (on_hub,) = hub_cases(hub)
        assert on_hub["case_no"] == no and on_hub["state"] == "collected"
        wednesday = MONDAY.date() + dt.timedelta(days=2)
        # The office's clerk at the hub: python -m sync.server case accept-collected CASE_NO --day …
        args = ["case", "accept-collected", no, "--day", wednesday.isoformat(), "--db", hub.db_url]
        assert hub_main(args) == 0
        assert f"已登记受理：{no}，办结时限自 2026-11-25 起算" in capsys.readouterr().out
        assert hub_main(args) == 0 and "此前已受理" in capsys.readouterr().out
        assert hub_main(["case", "accept-collected", "1509290000000000000", "--db", hub.db_url]) == 1
        assert "枢纽上没有受理编号为 1509290000000000000 的办件" in capsys.readouterr().err
        assert relay.run_once().changes == 1
        with client.read() as session:
            case = session.scalars(select(Case).where(Case.case_no == no)).one()
            assert case.state == "forwarded" and case.promised_due == dt.date(2026, 12, 2)
            assert [e.kind for e in sorted(case.events, key=lambda e: e.id)] == [
                "accept", "collect", "forward", "office_accept"]
        with hub.hub.store.write() as session:
            service.set_result(session, no, "approved", "准予许可")
        assert relay.run_once().changes == 1
        with client.read() as session:
            assert session.scalars(select(Case.state).where(Case.case_no == no)).one() == "approved"
    finally:
        client.dispose()
