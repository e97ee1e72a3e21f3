"""Issue 14 over the real hub on loopback (HubThread + Relay, two counters where it matters):

- the back office's return for 补正 (``python -m sync.server case return``) reaches the counter through the change
  feed: the case's clock stops from the day the hub names and it goes on the counter's worklist; a second return
  is refused at the hub, and one that still arrives (an older hub, a replayed feed) is skipped by the counter with
  the reason kept beside the cursor — the case stops only once;
- a 告知承诺 found untrue at counter 1 lists the applicant — a person by ID number, an organisation by 统一社会信用代码 —
  and the hub republishes the listing to every counter (device-less change), so counter 2 refuses 容缺/告知承诺 to
  them with the reason shown.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases import AcceptRequest, ApplicantInput, MaterialInput, accept_case, find_case, preview_decision
from app.cases.pledge_checks import list_checks, record_check
from app.cases.worklist import worklist
from app.store import Store, open_store
from app.store.models import CaseEvent, ExcludedApplicant, SyncCursor
from app.workdays import default_calendar
from sync.changes import CURSOR_NAME
from sync.hub_client import HubConfig
from sync.relay import Relay, RelayOptions
from sync.server import __main__ as hub_cli
from sync.server import service
from sync.server.models import Change
from sync.testbed import add_device
from tests.app._case_kit import HALL, MONDAY, credit_code, pension_request, person_id, prepare
from tests.hall_clock import on
from tests.sync.conftest import RunningHub

FAST = RelayOptions(backoff_base=0.01, backoff_cap=0.05, offline_probe_seconds=0.05)
TUESDAY = MONDAY.date() + dt.timedelta(days=1)
HOUSE = "150929-BDC-001"  # 二手房转移登记: marital status pledgeable


def _client(path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{path}")
    prepare(store)
    yield store
    store.dispose()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Store]:
    yield from _client(tmp_path / "client1.db")


@pytest.fixture
def client2(tmp_path: Path) -> Iterator[Store]:
    yield from _client(tmp_path / "client2.db")


def relay_for(store: Store, hub: RunningHub, token: str, tmp_path: Path, name: str) -> Relay:
    return Relay(store, HubConfig(hub.url, token, connect_timeout=2, read_timeout=5), files_dir=tmp_path / name,
                 data_dir=tmp_path / f"{name}-data", options=FAST)


def hub_admin(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = hub_cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_hubs_return_stops_the_counters_clock_once_and_lists_the_case(
        hub: RunningHub, client: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = accept_case(client, pension_request(), files_dir=tmp_path / "c1", clock=on(MONDAY.date()))
    relay = relay_for(client, hub, hub.token, tmp_path, "c1")
    assert relay.run_until_idle(timeout=60).sent == 1
    # Nothing to correct named: refused, nothing published.
    code, _out, err = hub_admin(capsys, "case", "return", case.case_no, "--db", hub.db_url)
    assert code == 1 and "需要补正的材料" in err
    code, out, err = hub_admin(capsys, "case", "return", case.case_no, "--item", "户口簿首页", "--item", "养老保险手册",
                               "--note", "复印件不清晰", "--day", TUESDAY.isoformat(), "--db", hub.db_url)
    assert (code, err) == (0, "") and out.startswith(f"已退回补正：{case.case_no}")

    assert relay.run_until_idle(timeout=60).changes >= 1
    with client.read() as session:
        view = find_case(session, case.case_no)
        [event] = session.scalars(select(CaseEvent).where(CaseEvent.kind == "return")).all()
        items = worklist(session, today=TUESDAY + dt.timedelta(days=2), calendar=default_calendar())
    assert view is not None and event.actor == "hub" and event.detail["day"] == TUESDAY.isoformat()
    assert event.detail["items"] == ["户口簿首页", "养老保险手册"] and event.detail["note"] == "复印件不清晰"
    assert any(f"自 {TUESDAY:%Y-%m-%d} 起后台退回补正，暂停计时" in n for n in view.time_notes)
    assert view.next_actions.count("resume_clock") == 1 and "extend" not in view.next_actions
    [item] = [i for i in items if i.case_no == case.case_no]
    assert item.kind == "returned" and "户口簿首页、养老保险手册" in item.text

    # A second return: the hub refuses it with the rule, and publishes nothing.
    code, _out, err = hub_admin(capsys, "case", "return", case.case_no, "--item", "身份证", "--db", hub.db_url)
    assert code == 1 and "只能退回补正一次" in err
    with hub.hub.store.read() as session:
        assert len(session.scalars(select(Change).where(Change.kind == "case.return")).all()) == 1
    # One that still reaches the counter is skipped there, with the reason, and the feed moves on.
    with hub.hub.store.write() as session:
        hub_case_id = session.scalars(select(Change.data).where(Change.kind == "case.return")).one()["case_id"]
        device_id = session.scalars(select(Change.device_id).where(Change.kind == "case.return")).one()
        service.publish(session, "case.return", {"case_id": hub_case_id, "case_no": case.case_no,
                                                 "items": ["身份证"], "note": "", "day": TUESDAY.isoformat()},
                        device_id=device_id)
    relay.run_until_idle(timeout=60)
    with client.read() as session:
        assert len(session.scalars(select(CaseEvent).where(CaseEvent.kind == "return")).all()) == 1
        cursor = session.get(SyncCursor, CURSOR_NAME)
    assert cursor is not None and "只能退回补正一次" in cursor.last_error
    relay.close()


def _house_request(id_no: str) -> AcceptRequest:
    return AcceptRequest(
        request_id=str(uuid.uuid4()), hall_code=HALL, window_number=2, matter_code=HOUSE,
        applicant=ApplicantInput(name="四子王旗草原奶食店有限公司", id_no=id_no, kind="organisation",
                                 legal_rep="张三", phone="13800000001"),
        materials=(*(MaterialInput(k, "original") for k in ("application", "ids", "certificate", "contract",
                                                             "tax_receipt")),
                   MaterialInput("marital", "pledge")),
        accepted_at=MONDAY, actor="clerk01",
    )


def test_a_false_pledge_at_counter_one_bars_the_applicant_at_counter_two(
        hub: RunningHub, client: Store, client2: Store, tmp_path: Path) -> None:
    person, org = person_id(77), credit_code()
    token2 = add_device(hub.db_url, "乌兰花镇便民服务中心-2")
    clock = on(MONDAY.date())
    accept_case(client, pension_request(pledge="pledge", id_no=person), files_dir=tmp_path / "c1", clock=clock)
    accept_case(client, _house_request(org), files_dir=tmp_path / "c1", clock=clock)
    relay1 = relay_for(client, hub, hub.token, tmp_path, "c1")
    relay2 = relay_for(client2, hub, token2, tmp_path, "c2")
    assert relay1.run_until_idle(timeout=60).sent == 2
    # Counter 2 knows nothing yet: both may pledge there.
    assert preview_decision(client2, pension_request(pledge="pledge", id_no=person),
                            accepted_on=TUESDAY).outcome == "pledge"

    with client.write() as session:
        for check in list_checks(session):
            record_check(session, check_id=check.id, found="false", note="核查发现承诺内容与事实不符", actor="sup",
                         at=MONDAY + dt.timedelta(hours=3), today=MONDAY.date(), bar_days=365)
    # Per case the finding and the revocation (which carries the listing) go up as updates.
    assert relay1.run_until_idle(timeout=60).sent == 4
    with hub.hub.store.read() as session:
        listings = session.scalars(select(Change).where(Change.kind == "excluded")).all()
    assert len(listings) == 2 and all(c.device_id is None for c in listings)  # for every counter

    assert relay2.run_until_idle(timeout=60).changes >= 2
    with client2.read() as session:
        rows = {r.id_no: r for r in session.scalars(select(ExcludedApplicant))}
    assert set(rows) == {person, org}
    assert rows[org].id_kind == "credit_code" and rows[person].kind == "false_pledge" == rows[org].kind
    assert rows[person].until == MONDAY.date() + dt.timedelta(days=365) and rows[person].source == "hub"

    for request in (pension_request(pledge="pledge", id_no=person), _house_request(org)):
        decision = preview_decision(client2, request, accepted_on=TUESDAY)
        assert decision.outcome != "pledge"
        why = " ".join(decision.reasons)
        assert "申请人在失信或虚假承诺名单中" in why and "告知承诺不实" in why and "限制至" in why
    deferral = preview_decision(client2, pension_request(photo="deferred", id_no=person), accepted_on=TUESDAY)
    assert deferral.outcome != "deferred" and "不能容缺受理" in " ".join(deferral.reasons)
    relay1.close()
    relay2.close()


def test_a_review_deemed_accepted_updates_the_case_the_hub_counts(hub: RunningHub, client: Store,
                                                                  tmp_path: Path) -> None:
    """§32: a review left without notice is accepted as of receipt at the counter, and the hub counts it so."""
    import dataclasses

    from app.cases import accept
    from app.cases.review import sweep_day
    from sync.server.models import HubCase

    request = dataclasses.replace(pension_request(), review=True)
    case_no = accept(client, request, files_dir=tmp_path / "c1", clock=on(MONDAY.date())).summary.case_no
    relay = relay_for(client, hub, hub.token, tmp_path, "c1")
    assert relay.run_until_idle(timeout=60).sent == 1
    calendar = default_calendar()
    assert sweep_day(client, clock=on(calendar.add_workdays(MONDAY.date(), 6)), calendar=calendar)["deemed"] == [
        case_no]
    assert relay.run_until_idle(timeout=60).pending == 0
    with client.read() as session:
        view = find_case(session, case_no)
    with hub.hub.store.read() as session:
        row = session.scalars(select(HubCase).where(HubCase.case_no == case_no)).one()
    assert view is not None and row.payload["decision"] == "normal"
    assert row.state == view.state == "forwarded"  # the hub has had the papers since 收件
    assert row.payload["legal_due"] == view.summary.legal_due.isoformat()  # type: ignore[union-attr]
    relay.close()
