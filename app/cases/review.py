"""收件后审查 and §32's five-day rule (行政许可法第三十二条第一款第（四）项).

Most 补正告知 at the counter hand the 补正材料通知书 over on the spot. For a matter whose materials need the back
office's review, the clerk instead takes the papers in for review (``AcceptRequest.review``): the case is
registered in 收件-待补正 with no notice yet and ``correction_due`` five working days on. Within that time the
clerk records the review (``app.cases.correction.apply_correction``): complete → 受理 from that day; incomplete →
the one-time notice, after which it is an ordinary 补正告知 case. If the five days pass with no notice given, the
application counts as accepted on the day it was received: :func:`deem_overdue_reviews` (run by the day's sweep,
:func:`sweep_day`) accepts it as of the receipt day, with its deadlines from that day, and the worklist shows it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.cases.lifecycle import _record, flag_overdue
from app.checklist import (
    CORRECTION_NOTICE_WORKDAYS,
    SUPPLEMENT_BASIS,
    ApplicantFacts,
    ChecklistPolicy,
    Decision,
    WorkCalendarLike,
    evaluate_checklist,
)
from app.clock import HallClock
from app.errors import ValidationError
from app.store import Store
from app.store.models import Case
from app.vocabulary import DECISION_LABELS

REVIEW_KEY = "review"  # decision_detail[REVIEW_KEY] is True while the review's notice is still to be given
DEEMED_REASON = ("收件后 5 个工作日内未告知补正，依法自收到申请材料之日起即为受理（" + SUPPLEMENT_BASIS + "）")


def review_decision(decision: Decision, *, received_on: dt.date, calendar: WorkCalendarLike) -> Decision:
    """The decision recorded when the papers are taken in for review: 收件-待补正 with no notice yet, and the
    last day of the five working days the notice may be given in."""
    if decision.outcome == "refused":
        raise ValidationError("已选择不予受理的理由，不能再收件审查；请取消不予受理理由或直接出具不予受理决定书",
                              field="refusal_ground")
    due = calendar.add_workdays(received_on, CORRECTION_NOTICE_WORKDAYS)
    return Decision(
        outcome="supplement",
        reasons=(f"收件后审查：申请材料须经审查，本机关于 {due:%Y-%m-%d} 前告知是否需要补正；"
                 f"逾期未告知的，自收到申请材料之日起即为受理（{SUPPLEMENT_BASIS}）",),
        notice=(), materials=decision.materials, correction_due=due,
        provisional_years=calendar.provisional_years(received_on, due),
    )


def review_pending(case: Any) -> bool:
    """Taken in for review and no notice (nor acceptance) recorded yet."""
    return (case.state == "awaiting_correction" and bool((case.decision_detail or {}).get(REVIEW_KEY))
            and not any(e.kind == "correction" for e in (getattr(case, "events", ()) or ())))


def _deem(session: Session, case: Case, *, today: dt.date, at: dt.datetime, calendar: WorkCalendarLike,
          policy: ChecklistPolicy, actor: str) -> None:
    from app.cases.pledge_checks import check_json, open_checks
    from app.cases.service import STATE_OF_OUTCOME, excluded_reason
    from app.catalog.payload import matter_from_payload

    received_on = case.service_date
    matter = matter_from_payload(case.matter_snapshot)
    reason = excluded_reason(session, case.applicant_id_no, today=received_on)
    facts = ApplicantFacts(organisation=case.applicant_kind == "organisation", proxy=case.proxy is not None,
                           excluded=reason is not None, excluded_reason=reason or "")
    states = {m.key: m.state for m in case.materials}
    decision = evaluate_checklist(matter, states, applicant=facts, accepted_on=received_on,  # type: ignore[arg-type]
                                  calendar=calendar, policy=policy)
    if decision.accepted:
        outcome, promised, legal, supply = (decision.outcome, decision.promised_due, decision.legal_due,
                                            decision.supplement_due)
    else:  # the law accepts it as it stands: 正常受理 on what was received, deadlines from the receipt day
        outcome, supply = "normal", None
        promised = calendar.due_date(received_on, matter.promised)
        legal = calendar.due_date(received_on, matter.legal)
    to_state = STATE_OF_OUTCOME[outcome]
    if to_state == "accepted" and any(e.kind == "forward" for e in case.events):
        to_state = "forwarded"
    if decision.accepted:
        rows = {m.key: m for m in case.materials}
        for md in decision.materials:
            if md.key in rows:
                rows[md.key].due = md.due
    detail = dict(case.decision_detail or {})
    detail.pop(REVIEW_KEY, None)
    detail.update(outcome=outcome, label=DECISION_LABELS[outcome], promised_due=promised.isoformat() if promised else None,
                  legal_due=legal.isoformat() if legal else None, reasons=[DEEMED_REASON, *(decision.reasons if decision.accepted else ())],
                  notice=[], deemed_on=today.isoformat(), received_on=received_on.isoformat())
    case.decision, case.decision_detail = outcome, detail
    case.promised_due, case.legal_due, case.supplement_due = promised, legal, supply
    checks = open_checks(session, case, matter, accepted_on=received_on, calendar=calendar, at=at) \
        if outcome == "pledge" or decision.pledged else []
    _record(session, case, kind="deemed_accept", to_state=to_state, actor=actor, at=at,
            detail={"decision": outcome, "day": today.isoformat(), "received_on": received_on.isoformat(),
                    "correction_due": case.correction_due.isoformat() if case.correction_due else None,
                    "reason": DEEMED_REASON, "checks": [check_json(c) for c in checks],
                    "promised_due": promised.isoformat() if promised else None,
                    "legal_due": legal.isoformat() if legal else None,
                    "supplement_due": supply.isoformat() if supply else None})


def deem_overdue_reviews(session: Session, today: dt.date, *, at: dt.datetime, calendar: WorkCalendarLike,
                         policy: ChecklistPolicy | None = None, actor: str = "system") -> list[str]:
    """Every case taken in for review whose five working days ended before the hall day ``today`` with no notice
    given becomes accepted as of its receipt day (§32); returns their case_nos. Idempotent."""
    cases = session.scalars(
        select(Case).where(Case.state == "awaiting_correction", Case.correction_due < today)
        .options(selectinload(Case.materials), selectinload(Case.events))
    ).all()
    done = []
    for case in sorted(cases, key=lambda c: c.case_no):
        if review_pending(case):
            _deem(session, case, today=today, at=at, calendar=calendar, policy=policy or ChecklistPolicy(),
                  actor=actor)
            done.append(case.case_no)
    return done


def sweep_day(store: Store, *, clock: HallClock, calendar: WorkCalendarLike,
              policy: ChecklistPolicy | None = None) -> dict[str, list[str]]:
    """The hall day's sweep, in one transaction (run when the counter starts, when the hall day changes, and by
    ``python -m app case sweep``): 容缺 supplies past their date are flagged, reviews past their five days are
    accepted as of receipt."""
    at = clock.now()
    today = clock.day_of(at)
    with store.write() as session:
        flagged = flag_overdue(session, today, at=at)
        deemed = deem_overdue_reviews(session, today, at=at, calendar=calendar, policy=policy)
    return {"flagged": flagged, "deemed": deemed}
