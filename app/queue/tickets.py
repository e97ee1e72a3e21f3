"""Issuing tickets (取号): per-category numbers that restart each day, 绿色通道 priority, appointment check-in,
and the print handshake — a ticket is only counted as issued (``waiting``) once it has printed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.clock import HallClock, aware
from app.errors import NotFound, StateError, ValidationError
from app.queue.common import (
    PRIORITY_KINDS,
    TicketView,
    get_hall,
    hall_categories,
    view_of,
)
from app.store import Store
from app.store.crypto import blind_index
from app.store.models import Appointment, Counter, Ticket, TicketEvent


def _next_number(session: Session, name: str, step: int = 1) -> int:
    """Atomically bump a named counter by ``step`` and return its new value (an upsert, so two kiosks never draw
    the same number; a step above one reserves a block, :func:`reserve_numbers`)."""
    dialect = session.get_bind().dialect.name
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Counter)
    stmt = ins.values(name=name, value=step).on_conflict_do_update(
        index_elements=[Counter.name], set_={"value": Counter.value + step}
    ).returning(Counter.value)
    return int(session.execute(stmt).scalar_one())


def reserve_numbers(store: Store, *, hall_code: str, category: str, day: dt.date, count: int,
                    daily_reset: bool = True) -> tuple[str, int, int]:
    """Reserve the next ``count`` numbers of a category for one kiosk: ``(counter name, first, last)``.

    They come off the same counter every other ticket draws from, so no other kiosk or counter can ever print
    them; the kiosk issues from its block (``app.queue.offline``) online and offline alike."""
    if not 1 <= count <= 500:
        raise ValidationError(f"预留号段的数量应在 1–500 之间，得到 {count}", field="count")
    with store.write() as session:
        get_hall(session, hall_code)
        letter = check_category(session, hall_code, category)
        name = counter_name(hall_code, day, letter, daily_reset=daily_reset)
        last = _next_number(session, name, count)
        return name, last - count + 1, last


def counter_name(hall_code: str, day: dt.date, category: str, *, daily_reset: bool = True) -> str:
    return f"ticket:{hall_code}:{day.isoformat() if daily_reset else 'all'}:{category}"


def ticket_code(category: str, number: int) -> str:
    return f"{category}{number:03d}"


def check_category(session: Session, hall_code: str, category: str) -> str:
    letter = (category or "").strip().upper()
    known = hall_categories(session, hall_code)
    if letter not in known:
        offered = "、".join(v if v.startswith(k) else f"{k} {v}" for k, v in known.items()) or "（本大厅没有开放任何业务类别）"
        raise ValidationError(f"业务类别不存在：{category!r}；可选：{offered}", field="category")
    return letter


def check_priority(priority: str | None) -> str:
    kind = (priority or "").strip().lower()
    if kind and kind not in PRIORITY_KINDS:
        choices = "、".join(f"{k}（{v}）" for k, v in PRIORITY_KINDS.items())
        raise ValidationError(f"优先类别不存在：{priority!r}；可选：{choices}", field="priority")
    return kind


# Why a booking cannot be checked in again, by its state.
_NOT_BOOKED = {
    "checked_in": "该预约已签到取号，请勿重复签到",
    "late": "该预约已按迟到处理并取过普通号，请勿重复签到",
    "missed": "该预约已过时段作未到处理，请点击业务类别取普通号",
    "cancelled": "该预约已取消，请点击业务类别取普通号",
}


def _existing(session: Session, request_id: str | None) -> Ticket | None:
    if not request_id:
        return None
    event = session.scalars(select(TicketEvent).where(TicketEvent.request_id == request_id)).one_or_none()
    return session.get(Ticket, event.ticket_id) if event is not None else None


def issue_ticket(
    store: Store,
    *,
    hall_code: str,
    category: str,
    priority: str = "",
    request_id: str | None = None,
    daily_reset: bool = True,
    clock: HallClock,
) -> TicketView:
    """Draw the next number of ``category``; the ticket stays ``issuing`` until :func:`confirm_printed`.

    A repeated ``request_id`` (a kiosk double tap, a retried request) returns the ticket it already drew.
    """
    at = clock.now()
    return _issue(store, hall_code=hall_code, category=category, priority=priority, request_id=request_id,
                  daily_reset=daily_reset, at=at, day=clock.day_of(at))


def _issue(store: Store, *, hall_code: str, category: str, priority: str, request_id: str | None,
           daily_reset: bool, at: dt.datetime, day: dt.date, appointment: int | None = None,
           reason: str = "", head_start: dt.timedelta = dt.timedelta(0), name: str = "",
           detail: dict[str, object] | None = None, late: bool = False, number: int | None = None) -> TicketView:
    """``reason`` is the 绿色通道 rule that applied; ``head_start`` queues a "weight" ticket as if it had come
    that much earlier (it keeps the ordinary lane, so ``priority_every`` does not bound it).

    With ``appointment`` the booking is locked and re-checked in this transaction (two kiosks checking in one
    code at once draw one ticket); ``late`` gives it an ordinary ticket (no appointment lane) and closes the
    booking as 迟到. ``number`` is one the kiosk reserved (:func:`reserve_numbers`) instead of the counter's next.
    """
    kind = check_priority(priority)
    try:
        with store.write() as session:
            found = _existing(session, request_id)
            if found is not None:
                return view_of(found)
            get_hall(session, hall_code)
            letter = check_category(session, hall_code, category)
            if number is None:
                number = _next_number(session, counter_name(hall_code, day, letter, daily_reset=daily_reset))
            id_no = ""
            appt = None
            if appointment is not None:
                appt = session.get(Appointment, appointment, with_for_update=True)
                assert appt is not None
                if appt.state != "booked":
                    raise StateError(_NOT_BOOKED.get(appt.state, "该预约已签到取号，请勿重复签到"),
                                     field="appointment")
                name, id_no = appt.name, appt.id_no
            ticket = Ticket(
                hall_code=hall_code, service_date=day, category=letter, number=number,
                code=ticket_code(letter, number), priority=kind, appointment_id=None if late else appointment,
                state="issuing", queued_at=at - head_start, issued_at=at, name=name, id_no=id_no,
                priority_reason=reason or kind,
            )
            session.add(ticket)
            session.flush()
            what: dict[str, object] = {"priority": kind} if kind else {}
            session.add(TicketEvent(ticket_id=ticket.id, kind="issue", request_id=request_id, at=at,
                                    detail={**what, **(detail or {})}))
            if appt is not None:
                appt.state, appt.ticket_id = ("late" if late else "checked_in"), ticket.id
            session.flush()
            return view_of(ticket)
    except IntegrityError:
        # Two taps with one request id raced on PostgreSQL: the loser reads the winner's ticket.
        with store.read() as session:
            found = _existing(session, request_id)
            if found is None:
                raise
            return view_of(found)


def confirm_printed(store: Store, ticket_id: int, *, clock: HallClock) -> TicketView:
    """The ticket left the printer: it joins the queue. Repeating is a no-op."""
    at = clock.now()
    with store.write() as session:
        ticket = _get(session, ticket_id, lock=True)
        if ticket.state != "issuing":
            if ticket.state == "void":
                raise StateError(f"号票 {ticket.code} 已作废，不能再确认打印")
            return view_of(ticket)
        ticket.state = "waiting"
        # The ticket queues from the moment it was issued, so a slow printer costs the applicant nothing.
        session.add(TicketEvent(ticket_id=ticket.id, kind="print", at=at))
        session.flush()
        return view_of(ticket)


def void_ticket(store: Store, ticket_id: int, *, reason: str, clock: HallClock) -> TicketView:
    """Withdraw a ticket that failed to print (or was issued in error). Repeating is a no-op."""
    at = clock.now()
    with store.write() as session:
        ticket = _get(session, ticket_id, lock=True)
        if ticket.state == "void":
            return view_of(ticket)
        if ticket.state not in ("issuing", "waiting"):
            raise StateError(f"号票 {ticket.code} 已被叫号（{ticket.state}），不能作废")
        ticket.state = "void"
        session.add(TicketEvent(ticket_id=ticket.id, kind="void", at=at, detail={"reason": reason}))
        if ticket.appointment_id is not None:
            appt = session.get(Appointment, ticket.appointment_id)
            if appt is not None and appt.ticket_id == ticket.id:
                # The applicant may check in again once the printer is fixed.
                appt.state, appt.ticket_id = "booked", None
        session.flush()
        return view_of(ticket)


def check_in(
    store: Store,
    *,
    hall_code: str,
    code_or_id: str,
    request_id: str | None = None,
    early_minutes: int = 30,
    late_minutes: int = 15,
    daily_reset: bool = True,
    number_for: Callable[[str], int | None] | None = None,
    clock: HallClock,
) -> TicketView:
    """预约签到: find today's booking by its code or the applicant's ID number and issue its ticket.

    Only inside the booked window (from ``early_minutes`` before its start to ``late_minutes`` after its end).
    """
    text = (code_or_id or "").strip().upper()
    if not text:
        raise ValidationError("请输入预约码或身份证号码", field="appointment")
    at = clock.now()
    day = clock.day_of(at)
    with store.read() as session:
        rows = list(session.scalars(
            select(Appointment).where(
                Appointment.hall_code == hall_code,
                Appointment.service_date == day,
                (Appointment.code == text) | (Appointment.id_index == (blind_index(session, text) or "-")),
            ).order_by(Appointment.start)
        ))
        if not rows:
            raise NotFound(f"没有找到今天的预约：{code_or_id}（请核对预约码或身份证号码）", field="appointment")
        if request_id:
            found = _existing(session, request_id)
            if found is not None:
                return view_of(found)
        booked = [a for a in rows if a.state == "booked"]
        if not booked:
            raise StateError(_NOT_BOOKED.get(rows[-1].state, "该预约已签到取号，请勿重复签到"), field="appointment")
        early, late = dt.timedelta(minutes=early_minutes), dt.timedelta(minutes=late_minutes)
        due = [a for a in booked if aware(a.start) - early <= at <= aware(a.end) + late]
        if not due:
            first = booked[0]
            start = clock.local(first.start).strftime("%H:%M")
            end = clock.local(first.end).strftime("%H:%M")
            when = "尚未到" if at < aware(first.start) - early else "已超过"
            raise StateError(f"{when}预约时段（{start}–{end}），请到服务台或取普通号", field="appointment")
        appt_id, category = due[0].id, due[0].category
    return _issue(store, hall_code=hall_code, category=category, priority="", request_id=request_id,
                  daily_reset=daily_reset, at=at, day=day, appointment=appt_id,
                  number=number_for(category) if number_for else None)


def list_tickets(session: Session, *, hall_code: str, service_date: dt.date) -> list[TicketView]:
    """Every ticket of the day, in issue order, with its state and times."""
    rows = session.scalars(
        select(Ticket).where(Ticket.hall_code == hall_code, Ticket.service_date == service_date)
        .order_by(Ticket.issued_at, Ticket.id)
    )
    return [view_of(t) for t in rows]


def find_ticket(session: Session, *, hall_code: str, code: str, service_date: dt.date) -> TicketView:
    ticket = _by_code(session, hall_code=hall_code, code=code, service_date=service_date)
    return view_of(ticket)


def _by_code(session: Session, *, hall_code: str, code: str, service_date: dt.date, lock: bool = False) -> Ticket:
    stmt = select(Ticket).where(Ticket.hall_code == hall_code, Ticket.service_date == service_date,
                                Ticket.code == (code or "").strip().upper())
    if lock:
        stmt = stmt.with_for_update()
    ticket = session.scalars(stmt).one_or_none()
    if ticket is None:
        raise NotFound(f"号票不存在：{code}（{service_date.isoformat()}）", field="ticket")
    return ticket


def _get(session: Session, ticket_id: int, *, lock: bool = False) -> Ticket:
    ticket = session.get(Ticket, ticket_id, with_for_update=lock)
    if ticket is None:
        raise NotFound(f"号票不存在：#{ticket_id}", field="ticket")
    return ticket


def ahead_of(session: Session, ticket_id: int) -> int:
    """How many waiting tickets of the same category queue before this one (printed on the ticket)."""
    from sqlalchemy import func

    ticket = _get(session, ticket_id)
    return int(session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.hall_code == ticket.hall_code, Ticket.service_date == ticket.service_date,
        Ticket.state == "waiting", Ticket.category == ticket.category, Ticket.id != ticket.id,
        Ticket.queued_at <= ticket.queued_at)) or 0)
