"""The clock rules of a case after acceptance: §42 extension, §45 periods that stop the clock, and the back
office's return for 补正 (once per case). Each writes an event; the due dates follow from the events through
:func:`app.cases.deadlines.case_deadlines` and are written back to the case for reports and lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.deadlines import MAX_EXTENSION_WORKDAYS, CalendarLike, CaseDeadlines, case_deadlines
from app.cases.lifecycle import CLOCK_STATES, _record, load_case, state_label, stop_in_force
from app.catalog.payload import limit_from_payload
from app.errors import StateError, ValidationError
from app.store.models import Case, Clerk
from app.vocabulary import CLOCK_STOP_LABELS

OPEN_STATES = CLOCK_STATES
SECTION45_STOPS = tuple(k for k in CLOCK_STOP_LABELS if k != "supplement")


def _calendar(calendar: CalendarLike | None) -> CalendarLike:
    if calendar is not None:
        return calendar
    from app.workdays import default_calendar

    return default_calendar()


def deadlines_of(case: Case, calendar: CalendarLike | None = None, *, today: dt.date | None = None) -> CaseDeadlines:
    """The case's due dates and notes from its acceptance and its events (the one computation)."""
    snapshot = case.matter_snapshot or {}
    return case_deadlines(accepted_on=case.service_date, promised=limit_from_payload(snapshot.get("promised")),
                          legal=limit_from_payload(snapshot.get("legal")), events=case.events,
                          calendar=_calendar(calendar), today=today)


def refresh_deadlines(case: Case, calendar: CalendarLike | None = None) -> CaseDeadlines:
    """Write the due dates the events give back to the case's columns (reports and lists read those)."""
    found = deadlines_of(case, calendar)
    if case.decision != "refused":
        case.promised_due, case.legal_due = found.promised_due, found.legal_due
    return found


def _open(case: Case, doing: str) -> None:
    if case.state not in OPEN_STATES:
        raise StateError(f'办件当前状态为"{state_label(case.state)}"，不能{doing}', field="state")


def extend_deadline(session: Session, *, case_no: str, days: int, approved_by: str, reason: str, actor: str,
                    at: dt.datetime, today: dt.date, calendar: CalendarLike | None = None,
                    approver_username: str = "") -> CaseDeadlines:
    """§42 (``today`` is the hall's day the event counts from): extend the time limit by up to 10 working days, once, with the approver and the reason recorded."""
    case = load_case(session, case_no=case_no)
    _open(case, "延长办理期限")
    if not 1 <= days <= MAX_EXTENSION_WORKDAYS:
        raise ValidationError(f"延长期限应为 1–{MAX_EXTENSION_WORKDAYS} 个工作日（行政许可法第四十二条），"
                              f"填写的是 {days}", field="days")
    if not approved_by.strip():
        raise ValidationError("请填写批准延期的负责人", field="approved_by")
    if not reason.strip():
        raise ValidationError("请填写延期理由（须告知申请人）", field="reason")
    if any(e.kind == "extend" for e in case.events):
        raise StateError("本办件已经延期一次，法定期限不能再延长", field="days")
    legal = limit_from_payload((case.matter_snapshot or {}).get("legal"))
    if legal is None or legal.unit != "workday":
        raise StateError("本事项的法定时限不以工作日计，不适用第四十二条延期", field="days")
    before = deadlines_of(case, calendar)
    _record(session, case, kind="extend", to_state=None, actor=actor, at=at,
            detail={"day": today.isoformat(), "days": days, "approved_by": approved_by.strip(),
                    "reason": reason.strip(), **({"approved_by_user": approver_username} if approver_username else {}),
                    "legal_due_before": before.legal_due.isoformat() if before.legal_due else None})
    found = refresh_deadlines(case, calendar)
    case.events[-1].detail = {**case.events[-1].detail,
                              "legal_due": found.legal_due.isoformat() if found.legal_due else None}
    return found


APPROVER_ROLE = "supervisor"  # 大厅负责人 (app.auth.ROLES): who may approve a §42 extension at the counter


def hall_approvers(session: Session, hall_code: str) -> list[tuple[str, str]]:
    """(username, name) of the hall's active 大厅负责人 — the people a §42 extension may be approved by."""
    rows = session.execute(select(Clerk.username, Clerk.name).where(
        Clerk.hall_code == hall_code, Clerk.role == APPROVER_ROLE, Clerk.active.is_(True)).order_by(Clerk.username))
    return [(u, n) for u, n in rows]


def extend_case(session: Session, *, case_no: str, days: int, approver: str, reason: str, actor: str,
                at: dt.datetime, today: dt.date, calendar: CalendarLike | None = None) -> CaseDeadlines:
    """:func:`extend_deadline` approved by an account: ``approver`` must be an active 大厅负责人 of the case's
    hall (the counter screen and ``case extend`` name one by username); the 延期告知书 prints that person's name."""
    case = load_case(session, case_no=case_no)
    username = approver.strip()
    if not username:
        raise ValidationError("请选择批准延期的负责人（行政许可法第四十二条：经本行政机关负责人批准）",
                              field="approved_by")
    clerk = session.scalars(select(Clerk).where(Clerk.username == username)).one_or_none()
    if clerk is None or not clerk.active or clerk.hall_code != case.hall_code or clerk.role != APPROVER_ROLE:
        names = "、".join(f"{n}（{u}）" for u, n in hall_approvers(session, case.hall_code)) or "无，请管理员设置"
        raise ValidationError(f"{username} 不是本大厅在岗的大厅负责人，不能批准延期；可批准的负责人：{names}",
                              field="approved_by")
    return extend_deadline(session, case_no=case_no, days=days, approved_by=clerk.name, reason=reason,
                           actor=actor, at=at, today=today, calendar=calendar, approver_username=clerk.username)


def _stopped(case: Case) -> str | None:
    """The kind of the stop in force, if the clock is stopped now."""
    return stop_in_force(case.events)


def stop_clock(session: Session, *, case_no: str, stop: str, note: str = "", actor: str, at: dt.datetime,
               today: dt.date, calendar: CalendarLike | None = None) -> CaseDeadlines:
    """§45: a 听证/招标/拍卖/检验/检测/检疫/鉴定/专家评审 period starts; its working days do not count."""
    if stop not in SECTION45_STOPS:
        raise ValidationError(f"不计时的情形只能是：{'、'.join(CLOCK_STOP_LABELS[k] for k in SECTION45_STOPS)}",
                              field="stop")
    case = load_case(session, case_no=case_no)
    _open(case, "暂停计时")
    if (current := _stopped(case)) is not None:
        raise StateError(f"办件已因{CLOCK_STOP_LABELS.get(current, current)}暂停计时", field="stop")
    _record(session, case, kind="clock_stop", to_state=None, actor=actor, at=at,
            detail={"day": today.isoformat(), "stop": stop, "note": note.strip()})
    return refresh_deadlines(case, calendar)


def resume_clock(session: Session, *, case_no: str, actor: str, at: dt.datetime, today: dt.date,
                 note: str = "", calendar: CalendarLike | None = None) -> CaseDeadlines:
    """The stopped period ends (the §45 procedure is over, or the returned 补正 came back); the clock runs again."""
    case = load_case(session, case_no=case_no)
    current = _stopped(case)
    if current is None:
        raise StateError("办件没有暂停计时，无需恢复", field="stop")
    _record(session, case, kind="clock_resume", to_state=None, actor=actor, at=at,
            detail={"day": today.isoformat(), "stop": current, "note": note.strip()})
    return refresh_deadlines(case, calendar)


def return_for_supplement(session: Session, *, case_no: str, items: list[str], note: str, actor: str,
                          at: dt.datetime, today: dt.date, calendar: CalendarLike | None = None) -> CaseDeadlines:
    """The back office sends the case back for 补正 (once per case): the clock stops and the case goes on the
    counter's worklist until the applicant's correction is recorded (:func:`resume_clock`)."""
    case = load_case(session, case_no=case_no)
    if any(e.kind == "return" for e in case.events):
        raise StateError("后台已退回补正过一次，同一办件只能退回补正一次", field="case_no")
    _open(case, "退回补正")
    if _stopped(case) is not None:
        raise StateError("办件正在暂停计时，不能同时退回补正", field="case_no")
    _record(session, case, kind="return", to_state=None, actor=actor, at=at, outbox=False,
            detail={"day": today.isoformat(), "stop": "supplement", "items": [i for i in items if i],
                    "note": note.strip()})
    return refresh_deadlines(case, calendar)
