"""Issue 14 (b): 容缺 and 告知承诺 to their end, and the clock rules of §42/§45 — on a real store.

Each test names the wrong behaviour of the old code it guards against."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases import AcceptRequest, ApplicantInput, MaterialInput, accept_case, find_case, preview_decision
from app.cases.lifecycle import (
    confirm_termination,
    flag_overdue,
    hand_over,
    load_case,
    mail_result,
    mark_forwarded,
    receive_supplement,
    record_result,
)
from app.cases.lifecycle import (
    owed_materials as lifecycle_owed,
)
from app.cases.pledge_checks import list_checks, record_check
from app.cases.time_rules import extend_deadline, resume_clock, return_for_supplement, stop_clock
from app.cases.worklist import worklist
from app.errors import StateError, ValidationError
from app.excluded import listed
from app.store import Store
from app.store.models import CreditRecord, Outbox, PledgeCheck
from app.workdays import default_calendar
from sync.changes import apply_excluded
from tests.app._case_kit import HALL, MONDAY, credit_code, pension_request, person_id, prepare
from tests.hall_clock import CLOCK

LATER = MONDAY + dt.timedelta(hours=2)
HOUSE = "150929-BDC-001"  # 二手房转移登记: marital status pledgeable, tax receipt deferrable


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    prepare(sqlite_store)
    return sqlite_store


def _approved_deferred_case(store: Store, tmp_path: Path) -> str:
    case = accept_case(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    with store.write() as s:
        mark_forwarded(s, case_id=case.id, actor="sync", at=LATER)
        record_result(s, case_no=case.case_no, result="approved", note="", actor="hub", at=LATER)
    return case.case_no


# --- 容缺 ---------------------------------------------------------------------------------------------------


def test_a_deferred_case_is_not_handed_over_or_mailed_while_the_material_is_owed(store: Store,
                                                                               tmp_path: Path) -> None:
    """Old: a 容缺 case could be approved and handed out while the deferred material was still owed."""
    case_no = _approved_deferred_case(store, tmp_path)
    with store.write() as s, pytest.raises(StateError, match=r"尚未补交.*须补齐后方可出件"):
        hand_over(s, case_no=case_no, collector_id_no=person_id(), collector_name="其其格", actor="c", at=LATER, today=LATER.date())
    with store.write() as s, pytest.raises(StateError, match="须补齐后方可邮寄"):
        mail_result(s, case_no=case_no, address="四子王旗乌兰花镇新华街1号", tracking_no="1234567890",
                    actor="c", at=LATER)
    with store.read() as s:
        view = find_case(s, case_no)
    assert view is not None and "hand_over" not in view.next_actions and "supplement" in view.next_actions
    # The supplement still arrives after the approval, and then the result goes out.
    with store.write() as s:
        assert receive_supplement(s, case_no=case_no, material_keys=["photo"], actor="c", at=LATER) == []
        assert hand_over(s, case_no=case_no, collector_id_no=person_id(), collector_name="其其格", actor="c",
                         at=LATER, today=LATER.date()) == "applicant"


def test_a_matter_that_allows_it_hands_over_before_the_supplement(store: Store, tmp_path: Path) -> None:
    case_no = _approved_deferred_case(store, tmp_path)
    with store.write() as s:
        case = load_case(s, case_no=case_no)
        case.matter_snapshot = {**case.matter_snapshot, "hand_over_before_supply": True}
    with store.write() as s:
        assert hand_over(s, case_no=case_no, collector_id_no=person_id(), collector_name="其其格", actor="c",
                         at=LATER, today=LATER.date()) == "applicant"


def test_reminder_then_lapse_puts_the_case_on_the_worklist_and_termination_writes_a_credit_record(
        store: Store, tmp_path: Path) -> None:
    """Old: nothing happened on lapse but a flag — no reminder, no worklist, no credit record."""
    case = accept_case(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    assert case.supplement_due is not None
    cal = default_calendar()
    with store.read() as s:
        before = worklist(s, today=cal.add_workdays(case.supplement_due, -1), calendar=cal, remind_workdays=2)
    assert [(i.kind, i.case_no) for i in before] == [("supplement_due", case.case_no)]
    assert "请提醒申请人" in before[0].text
    after = case.supplement_due + dt.timedelta(days=1)
    with store.write() as s:
        assert flag_overdue(s, after, at=LATER) == [case.case_no]
    with store.read() as s:
        [item] = worklist(s, today=after, calendar=cal)
    assert item.kind == "supplement_lapsed" and "终止办理通知书" in item.text
    with store.write() as s:
        confirm_termination(s, case_no=case.case_no, actor="clerk01", at=LATER, credit_record_on=LATER.date())
    with store.read() as s:
        [record] = s.scalars(select(CreditRecord)).all()
        view = find_case(s, case.case_no)
        assert worklist(s, today=after, calendar=cal) == []
    assert (record.kind, record.case_no, record.id_no) == ("supplement_lapse", case.case_no, person_id())
    assert view is not None and view.state == "terminated" and "print_termination_notice" in view.next_actions


# --- 告知承诺 -------------------------------------------------------------------------------------------------


def _house_request(id_no: str, *, marital: str = "pledge", kind: str = "organisation") -> AcceptRequest:
    return AcceptRequest(
        request_id=str(uuid.uuid4()), hall_code=HALL, window_number=2, matter_code=HOUSE,
        applicant=ApplicantInput(name="四子王旗草原奶食店有限公司", id_no=id_no, kind=kind,  # type: ignore[arg-type]
                                 legal_rep="张三", phone="13800000001"),
        materials=(*(MaterialInput(k, "original") for k in ("application", "ids", "certificate", "contract",
                                                             "tax_receipt")),
                   MaterialInput("marital", marital)),  # type: ignore[arg-type]
        accepted_at=MONDAY, actor="clerk01",
    )


def test_a_pledged_case_gets_its_check_task_and_the_hub_hears_of_it(store: Store, tmp_path: Path) -> None:
    """Old: 告知承诺 ended at the counter — no 事中事后核查 task."""
    case = accept_case(store, pension_request(pledge="pledge"), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        [check] = list_checks(s)
        payload = s.scalars(select(Outbox.payload).where(Outbox.kind == "case.accept",
                                                         Outbox.case_id == case.id)).one()
    assert check.case_no == case.case_no and check.state_label == "待核查"
    assert check.method_label in ("数据核验", "现场核查", "材料核查")
    assert check.due > MONDAY.date()
    assert payload["checks"][0]["material_key"] == "no_other_pension"


def test_an_untrue_pledge_revokes_and_lists_the_organisation_by_credit_code(store: Store, tmp_path: Path) -> None:
    """Old: no consequence of a false pledge, and the list only took personal ID numbers."""
    code = credit_code()
    case = accept_case(store, _house_request(code), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        [check] = list_checks(s)
    with store.write() as s, pytest.raises(ValidationError, match="写明不实的情况"):
        record_check(s, check_id=check.id, found="false", note=" ", actor="sup", at=LATER, today=LATER.date(), bar_days=365)
    with store.write() as s:
        record_check(s, check_id=check.id, found="false", note="婚姻登记系统显示已婚", actor="sup", at=LATER, today=LATER.date(),
                     bar_days=365)
    with store.read() as s:
        view = find_case(s, case.case_no)
        row = listed(s, code)
        update = s.scalars(select(Outbox.payload).where(Outbox.kind == "case.update")
                           .order_by(Outbox.seq.desc())).first()
        assert s.scalars(select(PledgeCheck.state)).one() == "false"
    assert view is not None and view.state == "revoked" and "print_revocation" in view.next_actions
    assert row is not None and row.kind == "false_pledge" and row.id_kind == "credit_code"
    assert row.listed_on == MONDAY.date() and row.until == MONDAY.date() + dt.timedelta(days=365)
    assert update is not None and update["event"]["detail"]["listing"]["id_no"] == code
    # The counter says why 容缺/承诺 are barred for this organisation now.
    decision = preview_decision(store, _house_request(code), accepted_on=MONDAY.date() + dt.timedelta(days=7))
    assert decision.outcome != "pledge"
    assert any("告知承诺不实" in r and "限制至" in r for r in decision.reasons)
    # After the term it no longer bars (a term of 7 days here, so the calendar covers the check).
    with store.write() as s:
        listed(s, code).until = MONDAY.date() + dt.timedelta(days=7)  # type: ignore[union-attr]
    late = preview_decision(store, _house_request(code), accepted_on=MONDAY.date() + dt.timedelta(days=8))
    assert late.outcome == "pledge"


def test_a_true_pledge_closes_the_check(store: Store, tmp_path: Path) -> None:
    accept_case(store, pension_request(pledge="pledge"), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        [check] = list_checks(s)
    with store.write() as s:
        assert record_check(s, check_id=check.id, found="true", note="", actor="sup", at=LATER, today=LATER.date(),
                            bar_days=365).state_label == "属实"
    with store.read() as s:
        assert list_checks(s) == []


def test_the_hub_list_carries_organisations_with_their_term(store: Store) -> None:
    code = credit_code()
    with store.write() as s:
        apply_excluded(s, {"upsert": [{"id_no": code, "id_kind": "credit_code", "reason": "虚假承诺",
                                       "kind": "false_pledge", "listed_on": "2026-11-01",
                                       "until": "2027-11-01", "case_no": "X"}]}, Path("."))
    with store.read() as s:
        row = listed(s, code)
    assert row is not None and row.until == dt.date(2027, 11, 1) and row.source == "hub"


# --- time rules -----------------------------------------------------------------------------------------------


def test_extension_and_stopped_periods_move_the_due_dates(store: Store, tmp_path: Path) -> None:
    """Old: deadlines knew only workdays — no §42 extension, no §45 stop, no pause on the back office's return."""
    cal = default_calendar()
    case = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    legal0 = case.legal_due
    assert legal0 is not None
    with store.write() as s, pytest.raises(ValidationError, match="1–10 个工作日"):
        extend_deadline(s, case_no=case.case_no, days=11, approved_by="局长", reason="需实地核实", actor="c",
                        at=LATER, today=LATER.date())
    with store.write() as s:
        found = extend_deadline(s, case_no=case.case_no, days=10, approved_by="王局长", reason="需实地核实",
                                actor="c", at=LATER, today=LATER.date())
    assert found.legal_due == cal.add_workdays(legal0, 10)
    with store.write() as s, pytest.raises(StateError, match="已经延期一次"):
        extend_deadline(s, case_no=case.case_no, days=1, approved_by="王局长", reason="x", actor="c", at=LATER, today=LATER.date())
    # §45 检测 from Tuesday to the next Tuesday: 5 working days do not count.
    tue = MONDAY + dt.timedelta(days=1)
    with store.write() as s:
        stop_clock(s, case_no=case.case_no, stop="testing", actor="c", at=tue, today=tue.date())
    with store.read() as s:
        view = find_case(s, case.case_no)
    assert view is not None and any("暂停计时" in n for n in view.time_notes)
    with store.write() as s:
        found = resume_clock(s, case_no=case.case_no, actor="c", at=tue + dt.timedelta(days=7),
                             today=(tue + dt.timedelta(days=7)).date())
    assert found.legal_due == cal.add_workdays(legal0, 15)
    assert found.pauses[0].workdays == 5 and found.paused is None
    # The back office's return for 补正: once per case, on the worklist while it lasts.
    with store.write() as s:
        return_for_supplement(s, case_no=case.case_no, items=["户口簿首页"], note="", actor="hub", at=tue, today=tue.date())
    with store.read() as s:
        items = worklist(s, today=tue.date(), calendar=cal)
    assert [i.kind for i in items] == ["returned"] and "户口簿首页" in items[0].text
    with store.write() as s:
        resume_clock(s, case_no=case.case_no, actor="c", at=tue + dt.timedelta(days=1),
                     today=(tue + dt.timedelta(days=1)).date())
    with store.write() as s, pytest.raises(StateError, match="只能退回补正一次"):
        return_for_supplement(s, case_no=case.case_no, items=["x"], note="", actor="hub", at=tue, today=tue.date())
    with store.read() as s:
        view = find_case(s, case.case_no)
    assert view is not None and view.summary.legal_due == cal.add_workdays(legal0, 16)
    assert any("第四十二条" in n for n in view.time_notes)


# --- property -------------------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(photo=st.sampled_from(["original", "deferred"]), allowed=st.booleans(),
       steps=st.lists(st.sampled_from(["supply", "hand_over", "mail"]), min_size=1, max_size=4))
def test_a_deferred_case_is_never_handed_over_while_a_material_is_owed_unless_its_matter_allows_it(
        store: Store, tmp_path: Path, photo: str, allowed: bool, steps: list[str]) -> None:
    case_no = accept_case(store, pension_request(photo=photo), files_dir=tmp_path, clock=CLOCK).case_no
    with store.write() as s:
        case = load_case(s, case_no=case_no)
        case.matter_snapshot = {**case.matter_snapshot, "hand_over_before_supply": allowed}
        mark_forwarded(s, case_id=case.id, actor="sync", at=LATER)
        record_result(s, case_no=case_no, result="approved", note="", actor="hub", at=LATER)
    for step in steps:
        with store.write() as s:
            owed = bool(lifecycle_owed(load_case(s, case_no=case_no)))
        try:
            with store.write() as s:
                if step == "supply":
                    receive_supplement(s, case_no=case_no, material_keys=["photo"], actor="c", at=LATER)
                elif step == "hand_over":
                    hand_over(s, case_no=case_no, collector_id_no=person_id(), collector_name="其其格", actor="c",
                              at=LATER, today=LATER.date())
                else:
                    mail_result(s, case_no=case_no, address="四子王旗乌兰花镇新华街1号", tracking_no="1234567890",
                                actor="c", at=LATER)
        except (StateError, ValidationError):
            continue
        if step in ("hand_over", "mail"):
            assert not owed or allowed
