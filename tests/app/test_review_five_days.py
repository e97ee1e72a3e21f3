"""收件后审查 and 行政许可法 §32's five-day rule, on a real store: the papers taken in for review; within five working
days the review accepts or gives the one-time notice; with no notice by then, the day's sweep accepts the case as of
the day it was received, with its deadlines from that day, and the worklist shows it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases import MaterialInput, accept, find_case
from app.cases.correction import apply_correction
from app.cases.review import deem_overdue_reviews, sweep_day
from app.cases.worklist import worklist
from app.checklist import RefusalChoice
from app.errors import StateError, ValidationError
from app.store import Store
from app.store.models import Case, CaseEvent, Outbox
from app.workdays import default_calendar
from printing.documents import applicable
from printing.from_store import case_doc
from tests.app._case_kit import MONDAY, pension_request, prepare
from tests.hall_clock import on

CAL = default_calendar()
RECEIVED = MONDAY.date()
DUE = CAL.add_workdays(RECEIVED, 5)  # the last day the notice may be given


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    prepare(sqlite_store)
    return sqlite_store


def take_in(store: Store, tmp_path: Path, **materials: str) -> str:
    request = dataclasses.replace(pension_request(**materials), review=True)
    result = accept(store, request, files_dir=tmp_path, clock=on(RECEIVED))
    assert result.decision.outcome == "supplement" and result.decision.notice == ()
    return result.summary.case_no


def at(day: dt.date) -> dt.datetime:
    return on(day).now()


def test_taken_in_for_review_the_case_waits_for_the_notice_on_the_worklist(store: Store, tmp_path: Path) -> None:
    case_no = take_in(store, tmp_path)
    with store.read() as s:
        view = find_case(s, case_no)
        items = worklist(s, today=RECEIVED, calendar=CAL)
        data = case_doc(s, case_no, clock=on(RECEIVED))
    assert view is not None and view.state == "awaiting_correction" and view.notice == ()
    assert view.next_actions == ("complete_review", "terminate")
    assert f"于 {DUE:%Y-%m-%d} 前告知是否需要补正" in view.reasons[0]
    assert [(i.kind, i.case_no, i.due) for i in items] == [("review_due", case_no, DUE)]
    # No 补正材料通知书 before the review has found something to correct, and no 受理 papers either.
    assert "supplement-notice" not in applicable(data) and "receipt" not in applicable(data)


def test_a_review_that_finds_something_gives_the_one_time_notice_and_the_rule_no_longer_applies(
        store: Store, tmp_path: Path) -> None:
    case_no = take_in(store, tmp_path)
    day = RECEIVED + dt.timedelta(days=2)
    with store.write() as s:
        _case, decision = apply_correction(s, case_no=case_no, materials=(MaterialInput("ss_card", "defective"),),
                                           actor="clerk01", at=at(day), today=day, calendar=CAL)
    assert decision.outcome == "supplement" and [n.key for n in decision.notice] == ["ss_card"]
    with store.write() as s:  # well past the five days: notice was given, so nothing is deemed
        assert deem_overdue_reviews(s, DUE + dt.timedelta(days=7), at=at(DUE), calendar=CAL) == []
    with store.read() as s:
        view = find_case(s, case_no)
        data = case_doc(s, case_no, clock=on(day))
        items = worklist(s, today=DUE + dt.timedelta(days=7), calendar=CAL)
    assert view is not None and view.next_actions[0] == "complete_correction"
    assert "supplement-notice" in applicable(data)
    assert [i.kind for i in items] == []


def test_a_review_that_finds_all_in_order_accepts_from_that_day(store: Store, tmp_path: Path) -> None:
    case_no = take_in(store, tmp_path)
    day = RECEIVED + dt.timedelta(days=1)
    with store.write() as s:
        case, decision = apply_correction(s, case_no=case_no, materials=(MaterialInput("ss_card", "original"),),
                                          actor="clerk01", at=at(day), today=day, calendar=CAL)
        assert case.state == "accepted" and decision.outcome == "normal"
        assert case.promised_due == decision.promised_due
    with store.read() as s:
        assert find_case(s, case_no).summary.decision == "normal"  # type: ignore[union-attr]


def test_no_notice_within_five_days_accepts_as_of_the_receipt_day(store: Store, tmp_path: Path) -> None:
    """Old: a 补正告知 case stayed 收件-待补正 for ever, however long the authority said nothing."""
    case_no = take_in(store, tmp_path, ss_card="missing")  # even with a material missing: the law accepts it
    with store.write() as s:  # on the last day itself the notice may still be given
        assert deem_overdue_reviews(s, DUE, at=at(DUE), calendar=CAL) == []
    after = CAL.add_workdays(DUE, 1)
    swept = sweep_day(store, clock=on(after), calendar=CAL)
    assert swept == {"flagged": [], "deemed": [case_no]}
    assert sweep_day(store, clock=on(after), calendar=CAL)["deemed"] == []  # once
    normal = accept(store, pension_request(), files_dir=tmp_path, clock=on(RECEIVED)).summary
    with store.read() as s:
        case = s.scalars(select(Case).where(Case.case_no == case_no)).one()
        event = s.scalars(select(CaseEvent).where(CaseEvent.kind == "deemed_accept")).one()
        update = s.scalars(select(Outbox.payload).where(Outbox.kind == "case.update")).one()
        items = worklist(s, today=after, calendar=CAL)
        view = find_case(s, case_no)
    assert (case.state, case.decision, case.service_date) == ("accepted", "normal", RECEIVED)
    # Deadlines from the receipt day: the same as a case accepted complete on that day.
    assert (case.promised_due, case.legal_due) == (normal.promised_due, normal.legal_due)
    assert event.detail["received_on"] == RECEIVED.isoformat() and event.detail["day"] == after.isoformat()
    assert "第三十二条" in event.detail["reason"] and event.actor == "system"
    assert update["event"]["kind"] == "deemed_accept" and update["event"]["detail"]["decision"] == "normal"
    assert [(i.kind, i.case_no) for i in items] == [("deemed_accepted", case_no)]
    assert f"已依法自 {RECEIVED:%Y-%m-%d} 起视为受理" in items[0].text
    assert view is not None and "第三十二条" in view.reasons[0] and "extend" in view.next_actions
    # Too late to ask for 补正 now.
    with store.write() as s, pytest.raises(StateError):
        apply_correction(s, case_no=case_no, materials=(MaterialInput("ss_card", "original"),), actor="c",
                         at=at(after), today=after, calendar=CAL)


def test_a_late_review_is_refused_before_the_sweep_has_run(store: Store, tmp_path: Path) -> None:
    case_no = take_in(store, tmp_path)
    late = CAL.add_workdays(DUE, 1)
    with store.write() as s, pytest.raises(StateError, match="依法自收件之日起视为受理"):
        apply_correction(s, case_no=case_no, materials=(MaterialInput("ss_card", "defective"),), actor="c",
                         at=at(late), today=late, calendar=CAL)


def test_a_notice_given_on_the_spot_is_never_deemed(store: Store, tmp_path: Path) -> None:
    spot = accept(store, pension_request(ss_card="missing"), files_dir=tmp_path, clock=on(RECEIVED)).summary
    with store.write() as s:
        assert deem_overdue_reviews(s, DUE + dt.timedelta(days=30), at=at(DUE), calendar=CAL) == []
    with store.read() as s:
        assert s.scalars(select(Case.state).where(Case.case_no == spot.case_no)).one() == "awaiting_correction"


def test_review_with_a_refusal_ground_is_refused(store: Store, tmp_path: Path) -> None:
    request = dataclasses.replace(pension_request(), review=True, refusal=RefusalChoice("no_permit_needed"))
    with pytest.raises(ValidationError, match="不能再收件审查"):
        accept(store, request, files_dir=tmp_path, clock=on(RECEIVED))
    with store.read() as s:
        assert s.scalars(select(Case)).all() == []
