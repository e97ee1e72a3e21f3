"""好差评 ratings, 告知承诺 核查 findings and the false-pledge list reach the hub exactly once through the outbox (a
lost acknowledgement re-sends them: replays, nothing doubled), and the county's figures are computed at the hub
(``python -m sync.server report daily``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.cases import accept_case
from app.cases.pledge_checks import list_checks, record_check
from app.ratings import request_rating, submit_rating
from app.store import Store, open_store
from app.store.models import Outbox
from sync.server import __main__ as hub_cli
from sync.server.models import HubFalsePledge, HubPledgeCheck, HubRating, Operation
from tests.app._case_kit import HALL, MONDAY, pension_request, person_id, prepare
from tests.hall_clock import on
from tests.sync.conftest import RunningHub
from tests.sync.test_clock_and_pledges_over_hub import relay_for
from tests.sync.test_hub import case_item, post

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'client.db'}")
    prepare(store)
    yield store
    store.dispose()


def counts(hub: RunningHub) -> tuple[int, int, int]:
    with hub.hub.store.read() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(t)) or 0)  # type: ignore[return-value]
                     for t in (HubRating, HubPledgeCheck, HubFalsePledge))


def test_ratings_findings_and_listings_reach_the_hub_once_and_are_counted_there(
        hub: RunningHub, client: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clock = on(MONDAY.date())
    untrue = accept_case(client, pension_request(pledge="pledge", id_no=person_id(31)), files_dir=tmp_path / "c",
                         clock=clock)
    true = accept_case(client, pension_request(pledge="pledge", id_no=person_id(32)), files_dir=tmp_path / "c",
                       clock=clock)
    plain = accept_case(client, pension_request(id_no=person_id(33)), files_dir=tmp_path / "c", clock=clock)
    for case_no, level in ((untrue.case_no, 1), (true.case_no, 5), (plain.case_no, 4)):
        req = request_rating(client, hall_code=HALL, window_number=2, case_no=case_no, clock=clock)
        submit_rating(client, req.id, level=level, comment="等候时间太长" if level == 1 else "", clock=clock)
    with client.write() as session:
        for check in list_checks(session):
            found = "false" if check.case_no == untrue.case_no else "true"
            record_check(session, check_id=check.id, found=found, note="核查发现承诺内容与事实不符", actor="sup",
                         at=MONDAY + dt.timedelta(hours=3), today=MONDAY.date(), bar_days=365)
    relay = relay_for(client, hub, hub.token, tmp_path, "c")
    # 3 cases, 3 ratings, 2 findings, 1 revocation carrying the listing.
    assert relay.run_until_idle(timeout=60).sent == 9
    assert counts(hub) == (3, 2, 1)

    # Every acknowledgement lost: the counter sends everything again. The hub answers replays, stores nothing new.
    with client.write() as session:
        session.execute(update(Outbox).values(state="pending", sent_at=None))
    assert relay.run_until_idle(timeout=60).sent == 9
    assert counts(hub) == (3, 2, 1)
    with client.read() as session:
        answers = [r.response for r in session.scalars(select(Outbox).where(Outbox.kind == "rating"))]
    assert [a["outcome"] for a in answers if a] == ["replay"] * 3
    with hub.hub.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Operation).where(Operation.kind == "rating")) == 3
        bad = s.scalars(select(HubRating).where(HubRating.level == 1)).one()
        listed = s.scalars(select(HubFalsePledge)).one()
    assert bad.comment == "等候时间太长" and bad.follow_up_due and bad.case_no == untrue.case_no
    assert listed.id_no == person_id(31) and listed.case_no == untrue.case_no and listed.hall_code == HALL

    assert hub_cli.main(["report", "daily", "--date", MONDAY.date().isoformat(), "--json",
                         "--db", hub.db_url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cases"] == 3
    assert data["ratings"] == [{"hall_code": HALL, "total": 3, "good": 2, "bad": 1, "satisfaction": 0.6667,
                                "level_1": 1, "level_2": 0, "level_3": 0, "level_4": 1, "level_5": 1}]
    assert data["pledge_checks"] == [{"hall_code": HALL, "true": 1, "false": 1}]
    assert data["false_pledges"] == 1
    assert hub_cli.main(["report", "daily", "--date", MONDAY.date().isoformat(), "--db", hub.db_url]) == 0
    out = capsys.readouterr().out
    assert "好差评 3 条（满意 2，差评 1，满意率 66.7%）" in out and "属实 1，不实 1" in out
    assert "新列入虚假承诺名单 1 人次" in out
    relay.close()


def test_a_rating_is_refused_for_another_hall_out_of_range_and_waits_for_its_case(hub: RunningHub) -> None:
    assert post(hub, case_item("150929-R01"))[0]["outcome"] == "accepted"  # binds the device to hall 150929
    rating = {"hall_code": HALL, "case_id": "", "case_no": "", "ticket_code": "A001", "window": 1, "level": 3,
              "overall": 3, "efficiency": 3, "service": 3, "attitude": 3, "comment": "", "at": "",
              "day": "2026-11-23", "follow_up_due": None}
    waiting = "c" * 36
    answers = post(hub,
                   {"op_id": "r1" * 10, "kind": "rating", "case_id": "t" * 20, "payload": {**rating, "hall_code": "150930"}},
                   {"op_id": "r2" * 10, "kind": "rating", "case_id": "t" * 20, "payload": {**rating, "level": 7}},
                   {"op_id": "r3" * 10, "kind": "rating", "case_id": waiting, "payload": {**rating, "case_id": waiting}},
                   {"op_id": "r4" * 10, "kind": "rating", "case_id": "t" * 20, "payload": rating})
    assert [(a["status"], a.get("error")) for a in answers] == [
        (403, "wrong_hall"), (422, "invalid_field"), (424, "case_unknown"), (201, None)]
    assert "不能提交大厅 150930 的评价" in answers[0]["message"] and "1～5" in answers[1]["message"]
    assert counts(hub) == (1, 0, 0)
