"""The counter's worklist (待办): what a clerk or supervisor must act on today — cases §32 has accepted because no
补正 notice was given within five working days, reviews whose notice is due, 容缺 supply dates coming up,
lapsed supplements to 终止, cases the back office returned for 补正, and 告知承诺 checks (overdue first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.cases.pledge_checks import list_checks
from app.cases.review import review_pending
from app.store.models import Case
from app.vocabulary import WORK_KIND_LABELS


@dataclass(frozen=True)
class WorkItem:
    kind: str  # a key of WORK_KIND_LABELS
    case_no: str
    applicant_name: str
    matter_name: str
    due: dt.date | None
    text: str
    check_id: int | None = None

    @property
    def kind_label(self) -> str:
        return WORK_KIND_LABELS.get(self.kind, self.kind)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "kind_label": self.kind_label, "case_no": self.case_no,
                "applicant_name": self.applicant_name, "matter_name": self.matter_name,
                "due": self.due.isoformat() if self.due else None, "text": self.text, "check_id": self.check_id}


_ORDER = {k: i for i, k in enumerate(WORK_KIND_LABELS)}
# Events after a §32 deemed acceptance that do not mean a clerk has taken the case up (it stays on the list).
_UNTOUCHED = frozenset({"forward", "flag"})


def worklist(session: Session, *, today: dt.date, calendar: Any, remind_workdays: int = 2,
             hall_code: str | None = None) -> list[WorkItem]:
    """Everything due for action, most urgent kind first, then by date."""
    items: list[WorkItem] = []
    horizon = calendar.add_workdays(today, remind_workdays) if remind_workdays > 0 else today
    query = select(Case).where(Case.state.in_(("awaiting_supplement", "accepted", "forwarded", "approved",
                                                "refused", "ready"))).options(
        selectinload(Case.materials), selectinload(Case.events))
    if hall_code:
        query = query.where(Case.hall_code == hall_code)
    for case in session.scalars(query):
        owed = [m for m in case.materials if m.state == "deferred" and m.supplied_at is None and m.due]
        if owed:
            due = min(m.due for m in owed if m.due)
            names = "、".join(m.name for m in owed)
            if case.flagged == "supplement_overdue" or due < today:
                items.append(WorkItem("supplement_lapsed", case.case_no, case.applicant_name, case.matter_name, due,
                                      f"{names} 已过补交期限，请确认终止办理并出具终止办理通知书"))
            elif due <= horizon:
                items.append(WorkItem("supplement_due", case.case_no, case.applicant_name, case.matter_name, due,
                                      f"{names} 应于 {due:%Y-%m-%d} 前补交，请提醒申请人"))
        returned = None
        for e in case.events:
            if e.kind == "return":
                returned = e
            elif e.kind == "clock_resume" and returned is not None:
                returned = None
        if returned is not None:
            what = "、".join(returned.detail.get("items", ())) or returned.detail.get("note", "") or "见后台意见"
            items.append(WorkItem("returned", case.case_no, case.applicant_name, case.matter_name, None,
                                  f"后台退回补正（暂停计时）：{what}"))
        deemed = next((i for i, e in enumerate(case.events) if e.kind == "deemed_accept"), None)
        if deemed is not None and all(e.kind in _UNTOUCHED for e in case.events[deemed + 1:]):
            items.append(WorkItem("deemed_accepted", case.case_no, case.applicant_name, case.matter_name,
                                  case.legal_due,
                                  f"收件后未在 5 个工作日内告知补正，已依法自 {case.service_date:%Y-%m-%d} 起视为受理，"
                                  f"法定办结期限 {case.legal_due or '—'}；请尽快办理"))
    reviews = select(Case).where(Case.state == "awaiting_correction").options(selectinload(Case.events))
    if hall_code:
        reviews = reviews.where(Case.hall_code == hall_code)
    for case in session.scalars(reviews):
        if review_pending(case) and case.correction_due is not None:
            items.append(WorkItem("review_due", case.case_no, case.applicant_name, case.matter_name,
                                  case.correction_due,
                                  f"收件后审查，请于 {case.correction_due:%Y-%m-%d} 前审查并告知是否补正；"
                                  "逾期未告知的，自收件之日起视为受理"))
    for check in list_checks(session, state="open", hall_code=hall_code):
        kind = "check_overdue" if check.overdue(today) else "check_open"
        items.append(WorkItem(kind, check.case_no, check.applicant_name, check.matter_name, check.due,
                              f"“{check.material_name}”{check.method_label}，{check.due:%Y-%m-%d} 前完成",
                              check_id=check.id))
    return sorted(items, key=lambda i: (_ORDER.get(i.kind, 99), i.due or dt.date.max, i.case_no))
