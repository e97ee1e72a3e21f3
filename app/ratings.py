"""好差评 at the window: the clerk asks for a rating, the applicant gives it on their own screen, a 差评 opens a
follow-up (整改回访) with a deadline in working days.

The clerk's side only ever learns *whether* a rating came (``RatingRequestView.state``), never its value.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.canonical import canonical_sha256
from app.clock import HallClock, aware
from app.errors import NotFound, StateError, ValidationError
from app.masking import mask_name
from app.queue.common import hall_bilingual
from app.store import Store
from app.store.models import AuditEvent, Case, Clerk, Outbox, Rating, RatingRequest, Ticket
from app.vocabulary import (
    FOLLOW_UP_LABELS,
    RATING_BAD_REASONS,
    RATING_INDICATOR_LABELS,
    RATING_LEVEL_LABELS,
    RATING_OTHER_REASON,
)

# China has one time zone and no daylight saving: dates of ratings and deadlines are UTC+8 dates.

# The words live in app.vocabulary; the rating screens read them through these names.
LEVELS = RATING_LEVEL_LABELS
INDICATORS = RATING_INDICATOR_LABELS
FOLLOW_UP_STATES = FOLLOW_UP_LABELS
BAD_LEVEL = 2  # levels at or below this are 差评 and need a follow-up
COMMENT_MAX = 500


@dataclass(frozen=True)
class RatingRequestView:
    """What the clerk's screen and the rating screen know about one request (never the rating's value)."""

    id: int
    hall_code: str
    window_number: int
    state: str  # pending | rated | declined | superseded
    case_no: str | None
    ticket_code: str | None
    matter_name: str
    clerk_name: str
    masked_applicant: str
    requested_at: dt.datetime
    matter_name_mn: str = ""  # the matter's Mongolian name as the case was accepted under ("" when none)
    bilingual: bool = True  # the hall's choice (hall.bilingual)

    @property
    def target(self) -> str:
        """The 受理编号, or the ticket code for a visit that made no case."""
        return self.case_no or self.ticket_code or ""


@dataclass(frozen=True)
class RatingView:
    id: int
    hall_code: str
    case_no: str | None
    ticket_code: str | None
    window_number: int
    clerk_id: int | None
    clerk_name: str
    level: int
    level_label: str
    overall: int
    efficiency: int
    service: int
    attitude: int
    comment: str
    at: dt.datetime
    follow_up_due: dt.date | None
    follow_up_state: str  # "" (no follow-up needed) | open | done
    follow_up_note: str
    follow_up_by: str
    follow_up_at: dt.datetime | None

    @property
    def is_bad(self) -> bool:
        return self.level <= BAD_LEVEL

    def overdue(self, today: dt.date) -> bool:
        return self.follow_up_state == "open" and self.follow_up_due is not None and self.follow_up_due < today

    def to_json(self, clock: HallClock) -> dict[str, object]:
        """For ``report ratings --json``: times on the hall's wall clock, with their offset."""
        return {
            "id": self.id, "hall_code": self.hall_code, "case_no": self.case_no, "ticket_code": self.ticket_code,
            "window": self.window_number, "clerk": self.clerk_name, "level": self.level,
            "level_label": self.level_label, "overall": self.overall, "efficiency": self.efficiency,
            "service": self.service, "attitude": self.attitude, "comment": self.comment,
            "at": clock.local(self.at).isoformat(timespec="seconds"),
            "follow_up_due": self.follow_up_due.isoformat() if self.follow_up_due else None,
            "follow_up_state": self.follow_up_state, "follow_up_note": self.follow_up_note,
            "follow_up_by": self.follow_up_by,
            "follow_up_at": (clock.local(self.follow_up_at).isoformat(timespec="seconds")
                             if self.follow_up_at else None),
        }


# --- validation -----------------------------------------------------------------------------------------------


def check_score(value: object, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(f"{label}应为 1 到 5 的整数，得到 {value!r}", field=field)
    return value


def reasoned_comment(level: int, reasons: Sequence[str], comment: str) -> str:
    """The comment as stored and sent to the hub: a 差评's reasons first ("不满意原因：等候时间长、其他；" — the
    rating's fields stay as they are), then the applicant's words. 其他 needs those words; reasons belong to a
    差评 only."""
    text = check_comment(comment)
    chosen = list(dict.fromkeys(reasons))
    if not chosen:
        return text
    if level > BAD_LEVEL:
        raise ValidationError("只有“不满意”或“非常不满意”需要选择原因", field="reasons")
    unknown = [r for r in chosen if r not in RATING_BAD_REASONS]
    if unknown:
        raise ValidationError(f"不满意原因不在可选项中：{'、'.join(unknown)}", field="reasons")
    if RATING_OTHER_REASON in chosen and not text:
        raise ValidationError("选择“其他”时，请在下面写明不满意的原因", field="comment")
    ordered = [r for r in RATING_BAD_REASONS if r in chosen]
    return check_comment(f"不满意原因：{'、'.join(ordered)}；{text}" if text else f"不满意原因：{'、'.join(ordered)}")


def check_comment(comment: str | None) -> str:
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        raise ValidationError(f"评价意见最多 {COMMENT_MAX} 字，现有 {len(text)} 字", field="comment")
    return text


# --- the clerk's side: ask for a rating ------------------------------------------------------------------------


def _clerk_name(session: Session, clerk_id: int | None) -> str:
    if clerk_id is None:
        return ""
    clerk = session.get(Clerk, clerk_id)
    return clerk.name if clerk is not None else ""


def _request_view(session: Session, req: RatingRequest) -> RatingRequestView:
    case = session.get(Case, req.case_id) if req.case_id else None
    ticket = session.get(Ticket, req.ticket_id) if req.ticket_id else None
    clerk_id = case.clerk_id if case is not None else (ticket.clerk_id if ticket is not None else None)
    return RatingRequestView(
        id=req.id, hall_code=req.hall_code, window_number=req.window_number, state=req.state,
        case_no=case.case_no if case is not None else None,
        ticket_code=ticket.code if ticket is not None else None,
        matter_name=case.matter_name if case is not None else "",
        clerk_name=_clerk_name(session, clerk_id),
        masked_applicant=mask_name(case.applicant_name if case is not None else (ticket.name if ticket else "")),
        requested_at=aware(req.requested_at),
        matter_name_mn=str((case.matter_snapshot or {}).get("name_mn", "")) if case is not None else "",
        bilingual=hall_bilingual(session, req.hall_code))


def _target(session: Session, *, hall_code: str, case_no: str | None,
            ticket_id: int | None) -> tuple[Case | None, Ticket | None]:
    if bool(case_no) == (ticket_id is not None):
        raise ValidationError("请指定要评价的受理编号或号票（二者选一）", field="target")
    if case_no:
        case = session.scalars(select(Case).where(Case.case_no == case_no.strip())).one_or_none()
        if case is None:
            raise NotFound(f"受理编号不存在：{case_no}", field="case_no")
        if case.hall_code != hall_code:
            raise ValidationError(f"办件 {case_no} 不属于本大厅（{hall_code}）", field="case_no")
        if session.scalars(select(Rating.id).where(Rating.case_id == case.id)).first() is not None:
            raise StateError(f"办件 {case.case_no} 已评价过（一次一评）", field="case_no")
        return case, None
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.hall_code != hall_code:
        raise NotFound(f"号票不存在：{ticket_id}", field="ticket")
    if ticket.state != "done":
        raise StateError(f"号票 {ticket.code} 尚未办结，不能评价", field="ticket")
    if session.scalars(select(Rating.id).where(Rating.ticket_id == ticket.id)).first() is not None:
        raise StateError(f"号票 {ticket.code} 已评价过（一次一评）", field="ticket")
    return None, ticket


def request_rating(store: Store, *, hall_code: str, window_number: int, case_no: str | None = None,
                   ticket_id: int | None = None, requested_by: str = "",
                   clock: HallClock) -> RatingRequestView:
    """"Please rate case X" from the clerk at ``window_number``. An older pending request at the window is
    superseded (the applicant in front of the screen is the one just served). Asking again for the same target
    while it is pending returns the same request."""
    at = clock.now()
    with store.write() as session:
        case, ticket = _target(session, hall_code=hall_code, case_no=case_no, ticket_id=ticket_id)
        pending = list(session.scalars(select(RatingRequest).where(
            RatingRequest.hall_code == hall_code, RatingRequest.window_number == window_number,
            RatingRequest.state == "pending")))
        for req in pending:
            same = (case is not None and req.case_id == case.id) or (ticket is not None and req.ticket_id == ticket.id)
            if same:
                return _request_view(session, req)
        for req in pending:
            req.state, req.closed_at = "superseded", at
        req = RatingRequest(hall_code=hall_code, window_number=window_number,
                            case_id=case.id if case else None, ticket_id=ticket.id if ticket else None,
                            requested_by=requested_by, requested_at=at, state="pending")
        session.add(req)
        session.flush()
        return _request_view(session, req)


def request_state(session: Session, request_id: int) -> RatingRequestView:
    req = session.get(RatingRequest, request_id)
    if req is None:
        raise NotFound(f"评价请求不存在：{request_id}")
    return _request_view(session, req)


def pending_request(session: Session, *, hall_code: str, window_number: int) -> RatingRequestView | None:
    """The request the rating screen of this window should show now (the newest pending one)."""
    req = session.scalars(select(RatingRequest).where(
        RatingRequest.hall_code == hall_code, RatingRequest.window_number == window_number,
        RatingRequest.state == "pending").order_by(RatingRequest.id.desc()).limit(1)).first()
    return _request_view(session, req) if req is not None else None


def decline_request(store: Store, request_id: int, *, clock: HallClock) -> RatingRequestView:
    """The applicant chose not to rate (暂不评价). Repeating is a no-op."""
    at = clock.now()
    with store.write() as session:
        req = session.get(RatingRequest, request_id)
        if req is None:
            raise NotFound(f"评价请求不存在：{request_id}")
        if req.state == "pending":
            req.state, req.closed_at = "declined", at
        return _request_view(session, req)


# --- the applicant's side: give the rating ---------------------------------------------------------------------


def _rating_view(session: Session, r: Rating) -> RatingView:
    case_no = session.scalars(select(Case.case_no).where(Case.id == r.case_id)).first() if r.case_id else None
    code = session.scalars(select(Ticket.code).where(Ticket.id == r.ticket_id)).first() if r.ticket_id else None
    return RatingView(
        id=r.id, hall_code=r.hall_code, case_no=case_no, ticket_code=code, window_number=r.window_number,
        clerk_id=r.clerk_id, clerk_name=_clerk_name(session, r.clerk_id), level=r.level,
        level_label=LEVELS.get(r.level, str(r.level)), overall=r.overall, efficiency=r.efficiency,
        service=r.service, attitude=r.attitude, comment=r.comment, at=aware(r.at),
        follow_up_due=r.follow_up_due, follow_up_state=r.follow_up_state, follow_up_note=r.follow_up_note,
        follow_up_by=r.follow_up_by, follow_up_at=aware(r.follow_up_at) if r.follow_up_at else None)


RATING_KIND = "rating"  # the outbox kind: the county's 好差评 figures are computed at the hub too


def rating_payload(rating: Rating, *, case: Case | None, ticket: Ticket | None, day: dt.date) -> dict[str, object]:
    """A rating as it travels to the hub (``rating`` outbox item): the scores and the target, never the clerk's
    name (the hub counts by hall and window). ``day`` is the hall day it was given on."""
    return {"hall_code": rating.hall_code, "case_id": case.id if case is not None else "",
            "case_no": case.case_no if case is not None else "", "ticket_code": ticket.code if ticket else "",
            "window": rating.window_number, "level": rating.level, "overall": rating.overall,
            "efficiency": rating.efficiency, "service": rating.service, "attitude": rating.attitude,
            "comment": rating.comment, "at": aware(rating.at).isoformat(), "day": day.isoformat(),
            "follow_up_due": rating.follow_up_due.isoformat() if rating.follow_up_due else None}


def _default_due(start: dt.date, workdays: int) -> dt.date:
    from app.workdays import default_calendar

    return default_calendar().add_workdays(start, workdays)


def submit_rating(
    store: Store,
    request_id: int,
    *,
    level: int,
    overall: int | None = None,
    efficiency: int | None = None,
    service: int | None = None,
    attitude: int | None = None,
    comment: str = "",
    reasons: Sequence[str] = (),
    follow_up_workdays: int = 5,
    due_date: Callable[[dt.date, int], dt.date] = _default_due,
    clock: HallClock,
) -> RatingView:
    """Record the applicant's rating for a pending request (one transaction: rating, request closed, audit).

    An indicator left out takes the level's value (the applicant tapped only the big button). A 差评 (level ≤ 2)
    opens a follow-up due ``follow_up_workdays`` working days after the rating day; its ``reasons`` (from
    ``RATING_BAD_REASONS``, chosen on the rating screen) lead the comment (:func:`reasoned_comment`).
    """
    check_score(level, "level", "评价等级")
    scores = {key: check_score(level if value is None else value, key, label)
              for (key, label), value in zip(INDICATORS.items(), (overall, efficiency, service, attitude),
                                             strict=True)}
    text = reasoned_comment(level, reasons, comment)
    if follow_up_workdays < 1:
        raise ValidationError(f"差评整改期限应至少 1 个工作日，设置为 {follow_up_workdays}",
                              field="follow_up_workdays")
    at = clock.now()
    # Outside the calendar's years this raises CalendarError before anything is written.
    due = due_date(clock.day_of(at), follow_up_workdays) if level <= BAD_LEVEL else None
    with store.write() as session:
        req = session.get(RatingRequest, request_id, with_for_update=not store.is_sqlite)
        if req is None:
            raise NotFound(f"评价请求不存在：{request_id}")
        if req.state != "pending":
            raise StateError("本次评价已结束或已被新的评价请求取代，请勿重复提交", field="level")
        case = session.get(Case, req.case_id) if req.case_id else None
        ticket = session.get(Ticket, req.ticket_id) if req.ticket_id else None
        taken = select(Rating.id).where(Rating.case_id == req.case_id) if case is not None else \
            select(Rating.id).where(Rating.ticket_id == req.ticket_id)
        if session.scalars(taken).first() is not None:
            req.state, req.closed_at = "superseded", at
            raise StateError("该办件已评价过（一次一评）", field="level")
        clerk_id = case.clerk_id if case is not None else (ticket.clerk_id if ticket is not None else None)
        rating = Rating(
            hall_code=req.hall_code, case_id=req.case_id, ticket_id=req.ticket_id,
            window_number=case.window_number if case is not None else req.window_number,
            clerk_id=clerk_id, level=level, comment=text, at=at,
            follow_up_due=due, follow_up_state="open" if due is not None else "", **scores)
        session.add(rating)
        session.flush()
        req.state, req.closed_at, req.rating_id = "rated", at, rating.id
        # The audit row names the target, not the level: the rating is not the clerk's to read in the log.
        session.add(AuditEvent(at=at, actor="applicant", action="rating.submit",
                               target=(case.case_no if case is not None else (ticket.code if ticket else "")),
                               detail={"window": rating.window_number, "follow_up": due is not None}))
        # To the hub in the same transaction. A case's rating is keyed by the case (the relay sends it after the
        # case itself); a ticket's rating, which has no case, by an id of its own.
        payload = rating_payload(rating, case=case, ticket=ticket, day=clock.day_of(at))
        session.add(Outbox(op_id=str(uuid.uuid4()), kind=RATING_KIND,
                           case_id=case.id if case is not None else str(uuid.uuid4()), payload=payload,
                           sha256=canonical_sha256(payload), created_at=at, next_attempt_at=at))
        session.flush()
        return _rating_view(session, rating)


# --- the supervisor's side: follow-ups ---------------------------------------------------------------------------


def list_follow_ups(session: Session, *, hall_code: str | None = None, state: str | None = None) -> list[RatingView]:
    """差评 follow-ups, oldest deadline first; ``state`` open | done | None (both)."""
    if state not in (None, "open", "done"):
        raise ValidationError(f"回访状态应为 open 或 done，得到 {state!r}", field="state")
    stmt = select(Rating).where(Rating.follow_up_state.in_([state] if state else ["open", "done"]))
    if hall_code:
        stmt = stmt.where(Rating.hall_code == hall_code)
    rows = session.scalars(stmt.order_by(Rating.follow_up_due, Rating.id))
    return [_rating_view(session, r) for r in rows]


def record_follow_up(store: Store, rating_id: int, *, note: str, by: str,
                     clock: HallClock) -> RatingView:
    """Record the call-back (回访) of a 差评: what was done and said, who called, when. Closes the follow-up."""
    text = (note or "").strip()
    who = (by or "").strip()
    if not text:
        raise ValidationError("请填写回访情况（整改措施与申请人意见）", field="note")
    if len(text) > 2000:
        raise ValidationError(f"回访情况最多 2000 字，现有 {len(text)} 字", field="note")
    if not who:
        raise ValidationError("请填写回访人", field="by")
    at = clock.now()
    with store.write() as session:
        rating = session.get(Rating, rating_id)
        if rating is None:
            raise NotFound(f"评价记录不存在：{rating_id}")
        if rating.follow_up_state == "":
            raise StateError(f"评价 {rating_id} 不是差评，无需回访", field="note")
        if rating.follow_up_state == "done":
            raise StateError(f"评价 {rating_id} 已于 {clock.day_of(rating.follow_up_at or at)} 回访", field="note")
        rating.follow_up_state, rating.follow_up_note, rating.follow_up_by, rating.follow_up_at = \
            "done", text, who[:60], at
        session.add(AuditEvent(at=at, actor=who[:60], action="rating.follow_up", target=str(rating_id)))
        session.flush()
        return _rating_view(session, rating)


def get_rating(session: Session, rating_id: int) -> RatingView:
    rating = session.get(Rating, rating_id)
    if rating is None:
        raise NotFound(f"评价记录不存在：{rating_id}")
    return _rating_view(session, rating)
