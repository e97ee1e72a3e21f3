"""补正 after 补正告知: the applicant comes back with what the 补正材料通知书 listed, and the SAME case is decided
again by the checklist — 正常受理 / 容缺受理 / 告知承诺, or still 收件-待补正 with what is left (行政许可法 §32(4)).

No second intake: the case keeps its 受理编号, its 收件 time (``decision_detail["received_at"]``) and its
history; the deadlines count from the day the application became complete, which is when it is accepted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from app.cases.lifecycle import _record, _refuse, load_case
from app.cases.pledge_checks import check_json, open_checks
from app.cases.request import MaterialInput
from app.cases.service import (
    STATE_OF_OUTCOME,
    AcceptResult,
    _default_calendar,
    excluded_reason,
    with_scans,
)
from app.cases.views import CaseSummary, summary_of
from app.catalog.payload import matter_from_payload
from app.checklist import ApplicantFacts, ChecklistPolicy, Decision, WorkCalendarLike, evaluate_checklist
from app.clock import HallClock
from app.errors import StateError, ValidationError
from app.store import Store
from app.store.models import Attachment, Case


def _decide_again(session: Session, case: Case, materials: tuple[MaterialInput, ...], *, today: dt.date,
                  calendar: WorkCalendarLike, policy: ChecklistPolicy) -> Decision:
    matter = matter_from_payload(case.matter_snapshot)
    states: dict[str, str] = {m.key: m.state for m in case.materials}
    for item in materials:
        states[item.key] = item.state
    reason = excluded_reason(session, case.applicant_id_no)
    applicant = ApplicantFacts(organisation=case.applicant_kind == "organisation", proxy=case.proxy is not None,
                               excluded=reason is not None, excluded_reason=reason or "")
    return evaluate_checklist(matter, states, applicant=applicant, accepted_on=today,  # type: ignore[arg-type]
                              calendar=calendar, policy=policy)


def apply_correction(
    session: Session,
    *,
    case_no: str,
    materials: tuple[MaterialInput, ...],
    actor: str,
    at: dt.datetime,
    today: dt.date,
    calendar: WorkCalendarLike | None = None,
    policy: ChecklistPolicy | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> tuple[Case, Decision]:
    """Record the 补正 on a case in 收件-待补正 and move it on as the checklist now decides (inside the caller's
    transaction), stamped at ``at`` with its deadlines from the hall day ``today``. ``StateError`` for a case in
    any other state."""
    from app.cases.review import review_pending

    case = load_case(session, case_no=case_no)
    if case.state != "awaiting_correction":
        raise _refuse(case, "correction")
    if review_pending(case) and case.correction_due is not None and today > case.correction_due:
        raise StateError(f"收件后审查已超过告知期限（{case.correction_due:%Y-%m-%d}），依法自收件之日起视为受理，"
                         "不能再要求补正；请刷新本办件（系统将按视为受理处理）", field="state")
    if not materials:
        raise ValidationError("请选择补正的材料", field="materials")
    at = at.astimezone(dt.UTC)
    decision = _decide_again(session, case, materials, today=today, calendar=calendar or _default_calendar(),
                             policy=policy or ChecklistPolicy())
    keys = [m.key for m in materials]
    for att in attachments:
        if att.material_key not in keys:
            raise ValidationError(f"附件 {att.filename} 不属于本次补正的材料", field="materials")
        case.attachments.append(att)
    auth = (case.proxy or {}).get("authorization")
    if isinstance(auth, dict) and auth.get("key") in keys:
        # The 授权委托书 recorded with the agent is the one brought now.
        brought = next(m.state for m in materials if m.key == auth["key"])
        case.proxy = {**(case.proxy or {}), "authorization": {**auth, "state": brought}}
    rows = {m.key: m for m in case.materials}
    for md in decision.materials:
        row = rows.get(md.key)
        if row is not None:
            row.state = md.state
            row.due = md.due
    old = dict(case.decision_detail or {})
    detail = decision.to_json()
    detail.pop("materials", None)
    for kept in ("received_at", "corrections"):
        if kept in old:
            detail[kept] = old[kept]
    files = [{"id": a.id, "material_key": a.material_key, "filename": a.filename, "path": a.path,
              "sha256": a.sha256, "size": a.size, "mime": a.mime} for a in attachments]
    if decision.outcome == "supplement":
        # Still incomplete: the notice now lists what is left; the case stays as it is.
        detail["correction_due"] = old.get("correction_due")
        case.decision_detail = detail
        _record(session, case, kind="correction", to_state=None, actor=actor, at=at,
                detail={"materials": keys, "decision": "supplement",
                        "still_needed": [n.name for n in decision.notice], "attachments": files})
        return case, decision
    to_state = STATE_OF_OUTCOME[decision.outcome]
    if to_state == "accepted" and any(e.kind == "forward" for e in case.events):
        to_state = "forwarded"  # the hub has had the papers since 收件
    detail["accepted_at"] = at.isoformat()
    case.decision = decision.outcome
    case.decision_detail = detail
    case.accepted_at = at  # 受理 is when the application became complete; 收件 stays in the detail
    case.promised_due, case.legal_due = decision.promised_due, decision.legal_due
    case.supplement_due = decision.supplement_due
    # Accepted now: each pledged material gets its 事中事后核查 task, as at 受理 (the event carries it to the hub).
    checks = open_checks(session, case, matter_from_payload(case.matter_snapshot), accepted_on=today,
                         calendar=calendar or _default_calendar(), at=at)
    _record(session, case, kind="correction", to_state=to_state, actor=actor, at=at,
            detail={"materials": keys, "decision": decision.outcome, "checks": [check_json(c) for c in checks],
                    "promised_due": decision.promised_due.isoformat() if decision.promised_due else None,
                    "legal_due": decision.legal_due.isoformat() if decision.legal_due else None,
                    "supplement_due": decision.supplement_due.isoformat() if decision.supplement_due else None,
                    "attachments": files})
    return case, decision


def complete_correction(
    store: Store,
    *,
    case_no: str,
    materials: tuple[MaterialInput, ...],
    actor: str,
    clock: HallClock,
    files_dir: Path,
    calendar: WorkCalendarLike | None = None,
    policy: ChecklistPolicy | None = None,
) -> AcceptResult:
    """补正 with scans, in one transaction of its own (files fsynced before the commit that names them): the
    counter lookup's 补正并继续受理; stamped at the hall clock's now."""
    at = clock.now()

    def work(session: Session, rows: tuple[Attachment, ...]) -> tuple[Decision, CaseSummary]:
        case, decision = apply_correction(session, case_no=case_no, materials=materials, actor=actor, at=at,
                                          today=clock.day_of(at), calendar=calendar, policy=policy,
                                          attachments=rows)
        return decision, summary_of(case)

    decision, summary = with_scans(store, materials=materials, at=at, files_dir=files_dir, work=work)
    return AcceptResult(summary=summary, decision=decision)
