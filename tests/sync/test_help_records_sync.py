"""帮办代办 records and the 延时/上门/专递 flags reach the hub exactly once through the outbox (issue 18), on a
SQLite and a PostgreSQL hub, and count in the hub's daily report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.assist import HELP_KIND, HelpInput, record_help
from app.cases.outreach import PostInInput
from app.cases.service import accept_case
from app.store import Store, open_store
from app.store.models import Outbox
from sync.server.__main__ import main as hub_main
from sync.server.models import HubHelpRecord
from tests.app._case_kit import HALL, MONDAY, pension_request, prepare
from tests.hall_clock import on
from tests.sync.conftest import RunningHub, start_hub
from tests.sync.test_hub_trust import other_device, post_as
from tests.sync.test_relay import make_relay

DAY = MONDAY.date()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningHub]:
    url = f"sqlite:///{tmp_path / 'hub.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    yield from start_hub(url, tmp_path / "hub-files")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'client.db'}")
    prepare(store)
    yield store
    store.dispose()


def _hub_help(hub: RunningHub) -> list[HubHelpRecord]:
    with hub.hub.store.read() as session:
        return list(session.scalars(select(HubHelpRecord).order_by(HubHelpRecord.mode)))


def test_help_records_reach_the_hub_once_and_count_there(any_hub: RunningHub, client: Store, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    clock = on(DAY)
    posted = accept_case(client, dataclasses.replace(pension_request(), post_in=PostInInput(
        tracking_no="EP123456789CN", sender="其其格", received_on=DAY)), files_dir=tmp_path / "files", clock=clock)
    record_help(client, HelpInput(hall_code=HALL, helper="乌云", mode="assisted", case_no=posted.case_no),
                clock=clock)
    record_help(client, HelpInput(hall_code=HALL, helper="王芳", mode="assisted", matter_name="社保卡挂失"),
                clock=clock)
    relay = make_relay(client, any_hub.url, any_hub.token, tmp_path)
    assert relay.run_once().online
    with client.read() as session:
        states = dict(session.execute(select(Outbox.kind, func.count()).where(Outbox.state == "done")
                                      .group_by(Outbox.kind)).all())
        rows = list(session.scalars(select(Outbox).where(Outbox.kind == HELP_KIND)))
    assert states == {"case.accept": 1, HELP_KIND: 2}
    kept = _hub_help(any_hub)
    assert len(kept) == 2 and {r.case_no for r in kept} == {posted.case_no, ""}
    # The answer was lost and the counter sends again: a replay, not a second record.
    items = [{"op_id": r.op_id, "kind": r.kind, "case_id": r.case_id, "payload": r.payload} for r in rows]
    assert [a["outcome"] for a in post_as(any_hub, any_hub.token, *items)] == ["replay", "replay"]
    changed = {**items[0], "payload": {**items[0]["payload"], "note": "改过"}}
    assert post_as(any_hub, any_hub.token, changed)[0]["error"] == "key_reused"
    assert len(_hub_help(any_hub)) == 2
    # Another device cannot probe or overwrite them.
    other = other_device(any_hub, "另一台", HALL)
    assert post_as(any_hub, other, items[0])[0]["error"] == "id_unavailable"

    assert hub_main(["report", "daily", "--date", DAY.isoformat(), "--json", "--db", any_hub.db_url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["help"] == [{"hall_code": HALL, "total": 2, "assisted": 2, "on_behalf": 0}]
    [hall] = data["by_hall"]
    assert (hall["post_in"], hall["after_hours"], hall["home_visit"]) == (1, 0, 0)
    assert hub_main(["report", "daily", "--date", (DAY + dt.timedelta(days=1)).isoformat(), "--json", "--db",
                     any_hub.db_url]) == 0
    assert json.loads(capsys.readouterr().out)["help"] == []


def test_bad_help_items_are_refused_with_a_reason(any_hub: RunningHub) -> None:
    good = {"op_id": "a" * 36, "kind": HELP_KIND, "case_id": "b" * 36,
            "payload": {"id": "b" * 36, "hall_code": HALL, "helper": "乌云", "mode": "assisted",
                        "matter_name": "社保卡挂失", "case_no": "", "service_date": DAY.isoformat()}}
    for change, error in (({"mode": "x"}, "mode"), ({"service_date": "昨天"}, "service_date"),
                          ({"helper": ""}, "helper"), ({"id": "c" * 36}, "payload.id")):
        bad = {**good, "payload": {**good["payload"], **change}}
        [answer] = post_as(any_hub, any_hub.token, bad)
        assert answer["status"] == 422 and error in answer["message"]
    foreign = {**good, "payload": {**good["payload"], "hall_code": "999999"}}
    bound = other_device(any_hub, "红格尔苏木", HALL)
    assert post_as(any_hub, bound, foreign)[0]["error"] == "wrong_hall"
    assert _hub_help(any_hub) == []
    assert post_as(any_hub, any_hub.token, good)[0]["outcome"] == "accepted"
