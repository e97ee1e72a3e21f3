"""行政许可法 §32 at the counter: missing or defective materials give 补正告知 (never 不予受理), 不予受理 only on a
ground the clerk picks, 当场更正 recorded, 须本人到场 matters refuse a proxy — in the engine and the real store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.cases.correction import complete_correction
from app.cases.import_csv import import_cases
from app.cases.lifecycle import load_case, next_actions
from app.cases.pledge_checks import list_checks
from app.cases.service import (
    AcceptRequest,
    ApplicantInput,
    CorrectionInput,
    MaterialInput,
    ProxyInput,
    accept,
    preview_decision,
)
from app.catalog import load_catalog
from app.checklist import (
    CORRECTION_NOTICE_WORKDAYS,
    MATERIAL_STATES,
    ApplicantFacts,
    ChecklistPolicy,
    RefusalChoice,
    evaluate_checklist,
)
from app.clock import HallClock
from app.errors import StateError, ValidationError
from app.store import Store
from app.store.models import Case, CaseEvent, Outbox
from app.workdays import default_calendar
from tests.app._case_kit import HALL, MONDAY, PENSION, pension_request, person_id, prepare
from tests.hall_clock import CLOCK, on

CAL = default_calendar()
CATALOG = load_catalog()
MARRIAGE = "150929-MZ-004"
DAY = dt.date(2026, 9, 28)  # Monday before National Day: five workdays skip the holiday


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    prepare(sqlite_store)
    return sqlite_store


def _pension(**states: str) -> dict[str, str]:
    base = {"id_card": "original", "household": "copy", "ss_card": "original", "no_other_pension": "original",
            "photo": "original"}
    base.update(states)
    return base


# --- the engine -----------------------------------------------------------------------------------------------


def test_a_missing_required_material_gives_supplement_notice_with_five_workdays_not_refusal() -> None:
    matter = CATALOG.matter(PENSION)
    assert matter is not None
    d = evaluate_checklist(matter, _pension(ss_card="missing"), applicant=ApplicantFacts(), accepted_on=DAY,
                           calendar=CAL)  # type: ignore[arg-type]
    assert d.outcome == "supplement" and d.label == "补正告知" and not d.accepted
    assert d.correction_due == CAL.add_workdays(DAY, CORRECTION_NOTICE_WORKDAYS) == dt.date(2026, 10, 10)  # 调休 Saturday counts
    assert any("第三十二条第一款第（四）项" in r for r in d.reasons)
    assert [n.key for n in d.notice] == ["ss_card"]
    assert not any("不予受理" in r for r in d.reasons)


def test_a_defective_material_is_listed_for_correction() -> None:
    matter = CATALOG.matter(PENSION)
    assert matter is not None
    d = evaluate_checklist(matter, _pension(household="defective"), applicant=ApplicantFacts(), accepted_on=DAY,
                           calendar=CAL)  # type: ignore[arg-type]
    assert d.outcome == "supplement"
    assert any("不符合法定形式" in r for r in d.reasons)
    assert [n.key for n in d.notice] == ["household"]


def test_refusal_only_on_a_listed_ground_with_its_legal_basis() -> None:
    matter = CATALOG.matter(PENSION)
    assert matter is not None
    kw = dict(applicant=ApplicantFacts(), accepted_on=DAY, calendar=CAL)
    d = evaluate_checklist(matter, _pension(), refusal=RefusalChoice("no_permit_needed"), **kw)  # type: ignore[arg-type]
    assert d.outcome == "refused" and d.refusal is not None
    assert "不需要取得行政许可" in d.refusal.text and "第（一）项" in d.refusal.basis
    with pytest.raises(ValidationError) as bad:
        evaluate_checklist(matter, _pension(), refusal=RefusalChoice("材料不齐"), **kw)  # type: ignore[arg-type]
    assert bad.value.field == "refusal_ground"
    with pytest.raises(ValidationError) as nobody:
        evaluate_checklist(matter, _pension(), refusal=RefusalChoice("not_competent"), **kw)  # type: ignore[arg-type]
    assert nobody.value.field == "competent_authority"
    named = evaluate_checklist(matter, _pension(), refusal=RefusalChoice("not_competent", "乌兰察布市民政局"),
                               **kw)  # type: ignore[arg-type]
    assert named.competent_authority == "乌兰察布市民政局" and named.to_json()["refusal"]["ground"] == "not_competent"


def test_the_catalog_adds_a_matters_own_refusal_grounds() -> None:
    marriage = CATALOG.matter(MARRIAGE)
    assert marriage is not None and marriage.in_person
    codes = [g.code for g in marriage.all_refusal_grounds]
    assert codes[:2] == ["no_permit_needed", "not_competent"] and "not_of_age" in codes


def test_a_matter_that_needs_the_applicant_in_person_refuses_a_proxy_with_the_reason() -> None:
    marriage = CATALOG.matter(MARRIAGE)
    assert marriage is not None
    with pytest.raises(ValidationError) as exc:
        evaluate_checklist(marriage, {}, applicant=ApplicantFacts(proxy=True), accepted_on=DAY, calendar=CAL)  # type: ignore[arg-type]
    assert "须申请人本人到场办理" in exc.value.message and exc.value.field == "proxy_name"


STATES = st.sampled_from(MATERIAL_STATES)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), matter_index=st.integers(0, len(CATALOG.matters) - 1), proxy=st.booleans(),
       organisation=st.booleans(), excluded=st.booleans(), allow_deferral=st.booleans(), allow_pledge=st.booleans())
def test_missing_required_materials_never_yield_refusal_for_any_shipped_matter(
    data: st.DataObject, matter_index: int, proxy: bool, organisation: bool, excluded: bool, allow_deferral: bool,
    allow_pledge: bool,
) -> None:
    matter = CATALOG.matters[matter_index]
    proxy = proxy and not matter.in_person
    states = {}
    for m in matter.materials:
        state = data.draw(STATES)
        if state == "e_license" and not m.e_license:
            state = "missing"
        states[m.key] = state
    applicant = ApplicantFacts(proxy=proxy, organisation=organisation, excluded=excluded)
    policy = ChecklistPolicy(allow_deferral=allow_deferral, allow_pledge=allow_pledge)
    d = evaluate_checklist(matter, states, applicant=applicant, accepted_on=DAY, calendar=CAL, policy=policy)  # type: ignore[arg-type]
    assert d.outcome != "refused"
    lacking = [m for m in matter.materials if m.required and m.applies(organisation=organisation, proxy=proxy)
               and states[m.key] in ("missing", "defective")]
    if lacking:
        assert d.outcome == "supplement"
        assert {n.key for n in d.notice} >= {m.key for m in lacking}
        assert len({n.key for n in d.notice}) == len(d.notice)  # each item once


# --- the store ------------------------------------------------------------------------------------------------


def test_supplement_case_is_registered_awaiting_correction_and_travels_so(store: Store, tmp_path: Path) -> None:
    result = accept(store, pension_request(ss_card="missing"), files_dir=tmp_path, clock=CLOCK)
    assert result.summary.decision == "supplement" and result.summary.state == "awaiting_correction"
    with store.read() as s:
        case = load_case(s, case_no=result.summary.case_no)
        assert case.correction_due == CAL.add_workdays(MONDAY.date(), 5)
        assert case.decision_detail["notice"][0]["key"] == "ss_card"
        assert next_actions(case)[0] == "complete_correction"
        payload = s.scalars(select(Outbox.payload).where(Outbox.case_id == case.id)).one()
    assert payload["decision"] == "supplement" and payload["state"] == "awaiting_correction"
    assert payload["decision_detail"]["correction_due"] == case.correction_due.isoformat()


def test_the_applicant_returns_and_the_same_case_is_accepted(store: Store, tmp_path: Path) -> None:
    request = dataclasses.replace(
        pension_request(), materials=tuple(MaterialInput(k, v)  # type: ignore[arg-type]
                                           for k, v in _pension(ss_card="missing", household="defective").items()))
    first = accept(store, request, files_dir=tmp_path, clock=CLOCK)
    case_no = first.summary.case_no
    later = MONDAY + dt.timedelta(days=2)  # Wednesday
    partly = complete_correction(store, case_no=case_no, materials=(MaterialInput("ss_card", "original"),),
                                 actor="clerk02", clock=HallClock.frozen(later), files_dir=tmp_path)
    assert partly.summary.state == "awaiting_correction"
    assert [n.key for n in partly.decision.notice] == ["household"]
    done = complete_correction(store, case_no=case_no, materials=(MaterialInput("household", "copy"),),
                               actor="clerk02", clock=HallClock.frozen(later), files_dir=tmp_path)
    assert done.summary.case_no == case_no and done.summary.decision == "normal"
    assert done.summary.state == "accepted"
    # The deadlines count from the day the application became complete, not from 收件.
    assert done.summary.promised_due == done.decision.promised_due
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1  # no second intake
        case = load_case(s, case_no=case_no)
        assert case.decision_detail["received_at"].startswith(MONDAY.astimezone(dt.UTC).date().isoformat())
        kinds = [e.kind for e in case.events]
        assert kinds == ["accept", "correction", "correction"]
        updates = s.scalars(select(Outbox.payload).where(Outbox.kind == "case.update")).all()
    assert updates[-1]["event"]["detail"]["decision"] == "normal" and updates[-1]["state"] == "accepted"
    with pytest.raises(StateError):
        complete_correction(store, case_no=case_no, materials=(MaterialInput("photo", "original"),),
                            actor="clerk02", clock=HallClock.frozen(later), files_dir=tmp_path)


def test_correction_can_lead_to_deferral(store: Store, tmp_path: Path) -> None:
    first = accept(store, pension_request(ss_card="missing", photo="missing"), files_dir=tmp_path, clock=CLOCK)
    done = complete_correction(store, case_no=first.summary.case_no,
                               materials=(MaterialInput("ss_card", "original"), MaterialInput("photo", "deferred")),
                               actor="clerk02", clock=HallClock.frozen(MONDAY), files_dir=tmp_path)
    assert done.summary.decision == "deferred" and done.summary.state == "awaiting_supplement"
    assert done.summary.supplement_due is not None


def test_a_case_that_becomes_a_pledge_through_its_correction_gets_its_check_task(store: Store,
                                                                                 tmp_path: Path) -> None:
    """告知承诺 reached by 补正 is still followed to its end: the 核查 task is opened when the case is accepted."""
    first = accept(store, pension_request(ss_card="missing", pledge="pledge"), files_dir=tmp_path, clock=CLOCK)
    assert first.summary.decision == "supplement"
    with store.read() as s:
        assert list_checks(s) == []  # not accepted yet: nothing to check
    done = complete_correction(store, case_no=first.summary.case_no, materials=(MaterialInput("ss_card", "original"),),
                               actor="clerk02", clock=HallClock.frozen(MONDAY), files_dir=tmp_path)
    assert done.summary.decision == "pledge"
    with store.read() as s:
        [check] = list_checks(s)
        event = s.scalars(select(CaseEvent).where(CaseEvent.kind == "correction")).one()
    assert check.case_no == first.summary.case_no and check.due > MONDAY.date()
    assert [c["material_name"] for c in event.detail["checks"]] == [check.material_name]


def test_refusal_is_recorded_with_its_ground_and_needs_one(store: Store, tmp_path: Path) -> None:
    request = dataclasses.replace(pension_request(),
                                  refusal=RefusalChoice("not_competent", "乌兰察布市社会保险事业服务中心"))
    result = accept(store, request, files_dir=tmp_path, clock=CLOCK)
    assert result.summary.decision == "refused" and result.summary.state == "refused_at_counter"
    with store.read() as s:
        case = load_case(s, case_no=result.summary.case_no)
    assert case.decision_detail["refusal"]["basis"].endswith("第（二）项")
    assert case.decision_detail["competent_office"] == "乌兰察布市社会保险事业服务中心"


def test_on_the_spot_correction_is_recorded_as_an_event(store: Store, tmp_path: Path) -> None:
    fix = CorrectionInput(item="申请表·联系电话", before="1380000000", after="13800000000", initialled=True)
    result = accept(store, dataclasses.replace(pension_request(), corrections=(fix,)), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        events = s.scalars(select(CaseEvent).where(CaseEvent.kind == "correct_on_spot")).all()
        case = load_case(s, case_no=result.summary.case_no)
    assert [e.detail["after"] for e in events] == ["13800000000"]
    assert case.decision_detail["corrections"][0]["item"] == "申请表·联系电话"
    unsigned = dataclasses.replace(fix, initialled=False)
    with pytest.raises(ValidationError, match="签名或按指印"):
        accept(store, dataclasses.replace(pension_request(), corrections=(unsigned,)), files_dir=tmp_path, clock=CLOCK)


def _marriage_request(proxy: ProxyInput | None) -> AcceptRequest:
    return AcceptRequest(
        request_id=str(uuid.uuid4()), hall_code=HALL, window_number=2, matter_code=MARRIAGE,
        applicant=ApplicantInput(name="巴特尔", id_no=person_id(seq=71)),
        materials=(MaterialInput("ids", "original"), MaterialInput("photo", "original"),
                   MaterialInput("declaration", "original"), MaterialInput("proxy_auth", "original")),
        proxy=proxy, accepted_at=MONDAY, actor="clerk01")


def test_in_person_matter_refuses_a_proxy_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="须申请人本人到场办理"):
        accept(store, _marriage_request(ProxyInput(name="其其格", id_no=person_id(seq=73))), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0
    assert accept(store, _marriage_request(None), files_dir=tmp_path, clock=CLOCK).summary.decision == "normal"


def test_a_proxy_is_recorded_with_the_authorisation_and_the_agents_validated_id(store: Store, tmp_path: Path) -> None:
    agent = person_id(seq=81)
    request = pension_request(proxy=ProxyInput(name="苏和", id_no=agent.lower()),
                              extra=(MaterialInput("proxy_auth", "original"),))
    result = accept(store, request, files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        case = load_case(s, case_no=result.summary.case_no)
    assert case.proxy is not None and case.proxy["id_no"] == agent.upper()
    assert case.proxy["authorization"]["state"] == "original" and "委托书" in case.proxy["authorization"]["name"]
    with pytest.raises(ValidationError) as bad:
        accept(store, pension_request(proxy=ProxyInput(name="苏和", id_no=agent[:-1] + "0")), files_dir=tmp_path, clock=CLOCK)
    assert bad.value.field == "proxy_id_no"
    # Without the 授权委托书 the agent is told to bring it (补正), and bringing it is recorded with the agent.
    short = accept(store, pension_request(proxy=ProxyInput(name="苏和", id_no=agent),
                                          extra=(MaterialInput("proxy_auth", "missing"),)), files_dir=tmp_path, clock=CLOCK)
    assert short.summary.decision == "supplement"
    assert any(n.key == "proxy_auth" for n in short.decision.notice)
    complete_correction(store, case_no=short.summary.case_no,
                        materials=(MaterialInput("proxy_auth", "original"), MaterialInput("proxy_id", "original")),
                        actor="clerk01", clock=HallClock.frozen(MONDAY), files_dir=tmp_path)
    with store.read() as s:
        case = load_case(s, case_no=short.summary.case_no)
    assert case.state == "accepted" and case.proxy is not None
    assert case.proxy["authorization"]["state"] == "original"


# --- 补录 gives the counter's outcome ----------------------------------------------------------------------------

ROWS = [
    ({}, ""),
    ({"ss_card": "missing"}, ""),
    ({"household": "defective"}, ""),
    ({"photo": "deferred"}, ""),
    ({"no_other_pension": "pledge"}, ""),
    ({"ss_card": "missing", "photo": "deferred"}, ""),
    ({}, "no_permit_needed"),
    ({"ss_card": "missing"}, "not_competent"),
]


def test_case_import_gives_the_same_outcome_as_the_counter(store: Store, tmp_path: Path) -> None:
    header = "accepted_at,window,matter_code,applicant_name,applicant_id_no,materials,refusal_ground,competent_authority"
    lines = [header]
    for i, (changes, ground) in enumerate(ROWS):
        states = ";".join(f"{k}={v}" for k, v in _pension(**changes).items())
        authority = "乌兰察布市社会保险事业服务中心" if ground == "not_competent" else ""
        lines.append(f"2026-11-23 10:00,3,{PENSION},其其格,{person_id(seq=200 + i)},{states},{ground},{authority}")
    report = import_cases(store, ("\n".join(lines) + "\n").encode(), hall_code=HALL, files_dir=tmp_path,
                          clock=HallClock.frozen(MONDAY + dt.timedelta(hours=2)))
    assert report.failed == 0, [r.to_json() for r in report.rows]
    for row, (i, (changes, ground)) in zip(report.rows, enumerate(ROWS), strict=True):
        authority = "乌兰察布市社会保险事业服务中心" if ground == "not_competent" else ""
        counter = dataclasses.replace(
            pension_request(id_no=person_id(seq=200 + i)),
            materials=tuple(MaterialInput(k, v) for k, v in _pension(**changes).items()),  # type: ignore[arg-type]
            refusal=RefusalChoice(ground, authority) if ground else None)
        expected = preview_decision(store, counter, accepted_on=MONDAY.date())
        assert row.decision == expected.outcome, (changes, ground)
    assert [r.decision for r in report.rows] == ["normal", "supplement", "supplement", "deferred", "pledge",
                                                 "supplement", "refused", "refused"]


def test_case_import_and_the_counter_both_bar_a_listed_applicant(store: Store, tmp_path: Path) -> None:
    """The false-pledge list bars 容缺/告知承诺 alike whether the case is keyed at the counter or imported (补录),
    with the same outcome and the listing's reason."""
    from app.store.models import ExcludedApplicant

    listed = person_id(seq=250)
    with store.write() as s:
        s.add(ExcludedApplicant(id_no=listed, reason="告知承诺不实（无其他养老保障）", kind="false_pledge",
                                listed_on=MONDAY.date() - dt.timedelta(days=30), source="hub", updated_at=MONDAY))
    states = _pension(no_other_pension="pledge", photo="deferred")
    header = "accepted_at,window,matter_code,applicant_name,applicant_id_no,materials"
    line = f"2026-11-23 10:00,3,{PENSION},其其格,{listed},{';'.join(f'{k}={v}' for k, v in states.items())}"
    report = import_cases(store, f"{header}\n{line}\n".encode(), hall_code=HALL, files_dir=tmp_path,
                          clock=HallClock.frozen(MONDAY + dt.timedelta(hours=2)))
    counter = accept(store, dataclasses.replace(
        pension_request(id_no=listed), materials=tuple(MaterialInput(k, v) for k, v in states.items())),  # type: ignore[arg-type]
        files_dir=tmp_path, clock=CLOCK)
    assert report.failed == 0 and report.rows[0].decision == counter.decision.outcome == "supplement"
    assert any("告知承诺不实" in r for r in counter.decision.reasons)
    with store.read() as s:
        imported = s.scalars(select(Case).where(Case.case_no == report.rows[0].case_no)).one()
    assert imported.decision_detail["reasons"] == list(counter.decision.reasons)


# --- the papers, from the real store ------------------------------------------------------------------------------


def test_documents_from_the_store_follow_the_case_through_correction(store: Store, tmp_path: Path) -> None:
    from printing.documents import applicable, render
    from printing.from_store import case_doc
    from tests.printing.pdf_tools import pdf_text

    fix = CorrectionInput(item="申请表·住址", before="乌兰花镇", after="乌兰花镇团结路", initialled=True)
    agent = person_id(seq=91)
    request = dataclasses.replace(
        pension_request(ss_card="missing", proxy=ProxyInput(name="苏和", id_no=agent),
                        extra=(MaterialInput("proxy_auth", "original"), MaterialInput("proxy_id", "original"))),
        corrections=(fix,))
    first = accept(store, request, files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        doc = case_doc(s, first.summary.case_no, clock=CLOCK)
    assert applicable(doc) == ["one-time-notice", "supplement-notice"]
    notice = pdf_text(render("supplement-notice", doc))
    assert "补正材料通知书" in notice and "社会保障卡" in notice and "第三十二条第一款第（四）项" in notice

    complete_correction(store, case_no=first.summary.case_no, materials=(MaterialInput("ss_card", "original"),),
                        actor="clerk01", clock=HallClock.frozen(MONDAY + dt.timedelta(days=2)), files_dir=tmp_path)
    with store.read() as s:
        doc = case_doc(s, first.summary.case_no, clock=CLOCK)
    receipt = pdf_text(render("receipt", doc))
    assert "接收时间2026年11月23日10:00" in receipt and "受理时间2026年11月25日10:00" in receipt
    assert "当场更正" in receipt and "乌兰花镇团结路" in receipt
    assert agent not in receipt and agent[:6] + "********" + agent[-4:] in receipt  # the agent's ID masked


def test_case_import_names_the_column_of_a_bad_ground_and_of_a_proxy_for_an_in_person_matter(
        store: Store, tmp_path: Path) -> None:
    header = "accepted_at,window,matter_code,applicant_name,applicant_id_no,materials,refusal_ground,proxy_name,proxy_id_no"
    states = ";".join(f"{k}={v}" for k, v in _pension(ss_card="missing").items())
    rows = [
        f"2026-11-23 10:00,3,{PENSION},其其格,{person_id(seq=301)},{states},材料不齐,,",
        f"2026-11-23 10:00,3,{MARRIAGE},巴特尔,{person_id(seq=302)},ids=original;photo=original;declaration=original;"
        f"proxy_auth=original,,其其格,{person_id(seq=303)}",
    ]
    report = import_cases(store, ("\n".join([header, *rows]) + "\n").encode(), hall_code=HALL, files_dir=tmp_path,
                          clock=HallClock.frozen(MONDAY + dt.timedelta(hours=2)))
    assert report.failed == 2
    ground, proxy = (r.issue for r in report.rows)
    assert ground is not None and ground.column == "refusal_ground"
    assert proxy is not None and proxy.column == "proxy_name" and "须申请人本人到场办理" in proxy.message
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0


def test_the_daily_report_counts_supplement_notices_apart_from_refusals(store: Store, tmp_path: Path) -> None:
    from app.reports.daily import daily_report

    accept(store, pension_request(ss_card="missing"), files_dir=tmp_path, clock=CLOCK)
    accept(store, pension_request(photo="missing", id_no=person_id(seq=401)), files_dir=tmp_path, clock=CLOCK)
    accept(store, dataclasses.replace(pension_request(id_no=person_id(seq=402)),
                                      refusal=RefusalChoice("no_permit_needed")), files_dir=tmp_path, clock=CLOCK)
    accept(store, pension_request(id_no=person_id(seq=403)), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        report = daily_report(s, start=MONDAY.date(), hall_code=HALL, clock=on(MONDAY.date()))
    counts = {row.key: (row.label, row.count) for row in report.by_decision}
    assert counts["supplement"] == ("补正告知", 2) and counts["refused"] == ("不予受理", 1)
    assert counts["normal"] == ("正常受理", 1)
