"""补正告知 over the real hub: a 收件-待补正 case reaches the hub as such, and its 补正 at the counter updates the case
the hub counts (decision and deadlines) — the same case, never a second one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases.correction import complete_correction
from app.cases.service import MaterialInput, accept
from app.clock import HallClock
from app.store import Store, open_store
from app.store.models import Case
from sync.hub_client import HubConfig
from sync.relay import Relay, RelayOptions
from sync.server.models import HubCase
from sync.server.report import hub_daily_report
from tests.app._case_kit import MONDAY, pension_request, prepare
from tests.hall_clock import CLOCK
from tests.sync.conftest import RunningHub

FAST = RelayOptions(backoff_base=0.01, backoff_cap=0.05, offline_probe_seconds=0.05)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'client.db'}")
    prepare(store)
    yield store
    store.dispose()


def test_a_supplement_case_travels_and_its_correction_updates_the_hub(hub: RunningHub, client: Store,
                                                                       tmp_path: Path) -> None:
    files = tmp_path / "files"
    first = accept(client, pension_request(ss_card="missing"), files_dir=files, clock=CLOCK)
    relay = Relay(client, HubConfig(hub.url, hub.token, connect_timeout=2, read_timeout=5), files_dir=files,
                  data_dir=tmp_path / "data", options=FAST)
    assert relay.run_until_idle(timeout=60).sent == 1
    with hub.hub.store.read() as session:
        row = session.scalars(select(HubCase).where(HubCase.case_no == first.summary.case_no)).one()
        assert row.payload["decision"] == "supplement" and row.state == "awaiting_correction"
        assert hub_daily_report(session, start=MONDAY.date(), zone=CLOCK.zone)["by_hall"][0]["supplement"] == 1
    with client.read() as session:
        assert session.scalars(select(Case.state)).one() == "awaiting_correction"  # the forward is noted only

    done = complete_correction(client, case_no=first.summary.case_no,
                               materials=(MaterialInput("ss_card", "original"),), actor="clerk01",
                               clock=HallClock.frozen(MONDAY + dt.timedelta(days=1)), files_dir=files)
    assert done.summary.state == "forwarded"  # the hub has had the papers since 收件
    assert relay.run_until_idle(timeout=60).pending == 0
    with hub.hub.store.read() as session:
        rows = session.scalars(select(HubCase)).all()
        assert len(rows) == 1 and rows[0].state == "forwarded"
        assert rows[0].payload["decision"] == "normal"
        assert rows[0].payload["promised_due"] == done.summary.promised_due.isoformat()  # type: ignore[union-attr]
        report = hub_daily_report(session, start=MONDAY.date(), zone=CLOCK.zone)
    assert report["by_hall"][0]["normal"] == 1 and report["by_hall"][0]["supplement"] == 0
