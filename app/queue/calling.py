"""Calling (叫号) at a window: an atomic claim of the next ticket, recall, 过号, 转窗, start, finish, pause.

The claim is one transaction. SQLite serialises writers with ``BEGIN IMMEDIATE``; PostgreSQL locks the window
row (so one window never holds two tickets) and takes the ticket with ``FOR UPDATE SKIP LOCKED`` (so windows
calling at the same moment each get a different ticket without waiting on each other), all in one pipelined
round trip — with no liveness ping before it (a dropped connection is retried once, see :func:`call_next`). A
``request_id`` is stored on the call event under a unique constraint: a retried click returns the ticket it
already claimed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Table, and_, case, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.clock import HallClock
from app.errors import NotFound, QueueEmpty, StateError, StoreError, ValidationError
from app.queue.common import (
    HELD_STATES,
    TicketView,
    get_window,
    hall_categories,
    view_of,
    view_of_row,
)
from app.queue.tickets import _by_code, check_category
from app.store import Store
from app.store.engine import connection_lost
from app.store.models import AuditEvent, Ticket, TicketEvent, Window

if TYPE_CHECKING:  # psycopg is imported on a PostgreSQL store only (a SQLite point never loads it)
    import psycopg

T = TypeVar("T")
# Core tables for the call-next hot path.
TICKET = cast(Table, Ticket.__table__)
WINDOW = cast(Table, Window.__table__)
EVENT = cast(Table, TicketEvent.__table__)


@dataclass(frozen=True)
class WindowState:
    number: int
    name: str
    categories: tuple[str, ...]
    paused: bool
    pause_reason: str
    current: TicketView | None


def _held(session: Session, hall_code: str, number: int, day: dt.date, *, lock: bool = False) -> Ticket | None:
    stmt = select(Ticket).where(
        Ticket.hall_code == hall_code, Ticket.service_date == day,
        Ticket.window_number == number, Ticket.state.in_(HELD_STATES),
    ).order_by(Ticket.called_at.desc())
    if lock:
        stmt = stmt.with_for_update()
    return session.scalars(stmt.limit(1)).first()


def _replayed(session: Session, request_id: str | None, window_number: int) -> Ticket | None:
    if not request_id:
        return None
    event = session.execute(select(EVENT.c.ticket_id, EVENT.c.window_number)
                            .where(EVENT.c.request_id == request_id)).first()
    if event is None:
        return None
    if event.window_number != window_number:
        raise ValidationError(f"请求编号 {request_id} 已被 {event.window_number} 号窗口使用", field="request_id")
    return session.get(Ticket, event.ticket_id)


def _idempotent(store: Store, request_id: str | None, window_number: int, work: Callable[[Session], T],
                replay: Callable[[Ticket], T]) -> T:
    """Run ``work`` in a write transaction; if a concurrent twin of the same request won, answer as it did."""
    try:
        with store.write() as session:
            return work(session)
    except IntegrityError:
        if not request_id:
            raise
        with store.read() as session:
            ticket = _replayed(session, request_id, window_number)
            if ticket is None:
                raise
            return replay(ticket)


def _check_open(session: Session, window: Any, hall_code: str, window_number: int, day: dt.date) -> None:
    """A paused window, or one still holding a ticket, may not call."""
    if window.paused:
        reason = f"（{window.pause_reason}）" if window.pause_reason else ""
        raise StateError(f"{window_number} 号窗口已暂停{reason}，请先恢复叫号", field="window")
    held = session.scalar(select(TICKET.c.code).where(
        TICKET.c.hall_code == hall_code, TICKET.c.service_date == day, TICKET.c.window_number == window_number,
        TICKET.c.state.in_(HELD_STATES)).limit(1))
    if held is not None:
        raise StateError(
            f"{window_number} 号窗口正在办理 {held}，请先办结、过号或转窗后再叫号", field="window")


def _claim(session: Session, ticket: Ticket, window: Window, *, clerk_id: int | None, request_id: str | None,
           at: dt.datetime, detail: dict[str, object] | None = None) -> TicketView:
    ticket.state = "called"
    ticket.window_number = window.number
    ticket.clerk_id = clerk_id
    ticket.called_at = at
    session.add(TicketEvent(ticket_id=ticket.id, kind="call", window_number=window.number, clerk_id=clerk_id,
                            request_id=request_id, at=at, detail=detail or {}))
    session.flush()
    return view_of(ticket)


def next_candidates(session: Session, hall_code: str, day: dt.date, window: Any, *, priority_every: int,
                    limit: int = 16) -> list[int]:
    """The window's next tickets in calling order: transfers to it, then checked-in appointments, then 绿色通道
    (bounded), then first come first served by ``queued_at`` (which a transfer keeps).

    Only ids are sorted (narrow rows; each part uses an index), so the cost stays flat over a 20,000-ticket day.
    """
    base = (Ticket.hall_code == hall_code, Ticket.service_date == day, Ticket.state == "waiting")
    ids = list(session.scalars(select(Ticket.id).where(*base, Ticket.window_number == window.number)
                               .order_by(Ticket.queued_at, Ticket.id).limit(limit)))
    cats = [str(c).upper() for c in (window.categories or [])]
    if cats:
        lane = case((Ticket.appointment_id.is_not(None), 0), else_=1)
        ordinary_turn = priority_every > 0 and (window.priority_streak or 0) >= priority_every
        # After ``priority_every`` priority calls in a row, one ordinary ticket goes first so that line moves.
        prio = case((Ticket.priority != "", 1 if ordinary_turn else 0), else_=0 if ordinary_turn else 1)
        ids += session.scalars(
            select(Ticket.id).where(*base, Ticket.window_number.is_(None), Ticket.category.in_(cats))
            .order_by(lane, prio, Ticket.queued_at, Ticket.id).limit(limit))
    return ids


def _lock_window(session: Session, hall_code: str, number: int) -> Any:
    """The window's row (number, categories, paused, pause_reason, priority_streak), locked for this call."""
    row = session.execute(
        select(WINDOW.c.id, WINDOW.c.number, WINDOW.c.categories, WINDOW.c.paused, WINDOW.c.pause_reason,
               WINDOW.c.priority_streak, WINDOW.c.active)
        .where(WINDOW.c.hall_code == hall_code, WINDOW.c.number == number).with_for_update()).first()
    if row is None or not row.active:
        raise NotFound(f"窗口号不存在或已停用：{number} 号窗口", field="window")
    return row


def _claim_next(session: Session, hall_code: str, day: dt.date, window: Any, *, priority_every: int) -> Any:
    """Lock the first candidate no other window holds. PostgreSQL re-checks ``state`` once the lock is granted,
    and SKIP LOCKED passes over rows another window is claiming right now; SQLite has one writer at a time.

    Core statements rather than ORM objects: this is the hot path of a hall of many windows.
    """
    for _round in range(5):
        ids = next_candidates(session, hall_code, day, window, priority_every=priority_every)
        if not ids:
            return None
        for tid in ids:
            row = session.execute(select(TICKET).where(TICKET.c.id == tid, TICKET.c.state == "waiting")
                                  .with_for_update(skip_locked=True)).first()
            if row is not None:
                return row
    return None


def _claim_row(session: Session, row: Any, window: Any, *, clerk_id: int | None, request_id: str | None,
               at: dt.datetime, priority_every: int) -> TicketView:
    session.execute(update(TICKET).where(TICKET.c.id == row.id)
                    .values(state="called", window_number=window.number, clerk_id=clerk_id, called_at=at))
    if row.appointment_id is None and row.window_number is None:
        streak = (window.priority_streak or 0) + 1 if row.priority else 0
        if streak != window.priority_streak:
            session.execute(update(WINDOW).where(WINDOW.c.id == window.id).values(priority_streak=streak))
    session.execute(insert(EVENT).values(ticket_id=row.id, kind="call", window_number=window.number,
                                         clerk_id=clerk_id, request_id=request_id, at=at, detail={}))
    return view_of_row(row._mapping, state="called", window_number=window.number, clerk_id=clerk_id,
                       called_at=at)


# PostgreSQL call-next: one pipelined round trip (BEGIN, lock the window row, the claim statement, COMMIT).
# The claim statement starts after the lock is granted, so its snapshot sees a same-window twin's commit.
# It checks the request-id replay, the pause and the held ticket, picks the next ticket (FOR UPDATE SKIP
# LOCKED re-checks ``state`` and passes over rows another window is claiming), updates it, writes the call
# event and the 绿色通道 streak; data-modifying CTEs run even when the final SELECT does not read them.
# The ORDER BY is the one next_candidates() gives on SQLite: transfers to this window (by queued_at), then
# checked-in appointments, then priority (flipped on the window's ordinary turn), then queued_at.
# Constant text with bound values, so psycopg prepares it on the server after a few calls.
_PG_LOCK = 'SELECT id FROM "window" WHERE hall_code = %(hall)s AND number = %(win)s FOR UPDATE'
_PG_CLAIM = """
WITH win AS (
    SELECT w.id, w.active, w.paused, w.pause_reason, w.priority_streak, w.categories
    FROM "window" w WHERE w.hall_code = %(hall)s AND w.number = %(win)s
), replay AS (
    SELECT ticket_id, window_number FROM ticket_event WHERE request_id = %(rid)s
), held AS (
    SELECT code FROM ticket
    WHERE hall_code = %(hall)s AND service_date = %(day)s AND window_number = %(win)s
      AND state IN ('called', 'serving')
    LIMIT 1
), pick AS (
    SELECT t.id, t.window_number AS was_window, t.appointment_id, t.priority FROM ticket t
    WHERE t.hall_code = %(hall)s AND t.service_date = %(day)s AND t.state = 'waiting'
      AND (t.window_number = %(win)s OR (t.window_number IS NULL AND t.category IN (
            SELECT upper(c) FROM win, json_array_elements_text(win.categories) AS c)))
      AND EXISTS (SELECT 1 FROM win WHERE active AND NOT paused)
      AND NOT EXISTS (SELECT 1 FROM replay) AND NOT EXISTS (SELECT 1 FROM held)
    ORDER BY CASE WHEN t.window_number IS NULL THEN 1 ELSE 0 END,
             CASE WHEN t.window_number IS NULL AND t.appointment_id IS NULL THEN 1 ELSE 0 END,
             CASE WHEN t.window_number IS NOT NULL THEN 0
                  WHEN (t.priority <> '') = (SELECT %(every)s > 0 AND priority_streak >= %(every)s FROM win)
                  THEN 1 ELSE 0 END,
             t.queued_at, t.id
    LIMIT 1
    FOR UPDATE OF t SKIP LOCKED
), claimed AS (
    UPDATE ticket t SET state = 'called', window_number = %(win)s, clerk_id = %(clerk)s, called_at = %(at)s
    FROM pick WHERE t.id = pick.id
    RETURNING t.id, t.code, t.category, t.priority, t.state, t.window_number, t.service_date, t.issued_at,
              t.queued_at, t.called_at, t.started_at, t.finished_at, t.recall_count, t.skip_count,
              t.transferred_from, t.appointment_id, t.name, t.priority_reason
), event AS (
    INSERT INTO ticket_event (ticket_id, kind, window_number, clerk_id, request_id, at, detail)
    SELECT id, 'call', %(win)s, %(clerk)s, %(rid)s, %(at)s, CAST('{}' AS json) FROM claimed
    RETURNING id
), streak AS (
    UPDATE "window" w SET priority_streak = CASE WHEN pick.priority <> '' THEN w.priority_streak + 1 ELSE 0 END
    FROM pick
    WHERE w.id = (SELECT id FROM win) AND pick.was_window IS NULL AND pick.appointment_id IS NULL
      AND w.priority_streak <> (CASE WHEN pick.priority <> '' THEN w.priority_streak + 1 ELSE 0 END)
    RETURNING w.id
)
SELECT win.active, win.paused, win.pause_reason,
       (SELECT ticket_id FROM replay) AS replay_ticket, (SELECT window_number FROM replay) AS replay_window,
       (SELECT code FROM held) AS held_code, claimed.*
FROM (SELECT 1) AS one LEFT JOIN win ON true LEFT JOIN claimed ON true
"""


def _call_next_pg(session: Session, hall_code: str, day: dt.date, window_number: int, *, clerk_id: int | None,
                  request_id: str | None, at: dt.datetime, priority_every: int) -> TicketView:
    """Send BEGIN, the window lock, :data:`_PG_CLAIM` and COMMIT in one psycopg pipeline: one network round trip
    instead of five, which is what keeps p95 low when 8 windows (and their backends) share two cores.

    Nothing is written when the answer is a refusal, so committing before the checks below is safe; the
    session's own commit afterwards finds the connection idle and sends nothing. Driver errors are re-raised as
    SQLAlchemy's, so :func:`_idempotent` and the store treat them as on every other path.
    """
    import psycopg
    from psycopg.rows import dict_row

    conn = cast("psycopg.Connection[Any]", session.connection().connection.driver_connection)
    params = {"rid": request_id, "hall": hall_code, "day": day, "win": window_number, "clerk": clerk_id,
              "at": at, "every": priority_every}
    try:
        with conn.pipeline():
            conn.cursor().execute(_PG_LOCK, params)
            cur = conn.cursor(row_factory=dict_row)
            cur.execute(_PG_CLAIM, params)
            conn.commit()
        row = cur.fetchone()
    except psycopg.Error as exc:
        lost = conn.broken or conn.closed
        if lost:  # the pool must not hand this connection out again; call_next() retries on a fresh one
            session.connection().invalidate(exc)
        raise DBAPIError.instance(_PG_CLAIM, params, exc, psycopg.Error, connection_invalidated=lost) from exc
    assert row is not None  # the outer SELECT always yields one row
    if not row["active"]:
        raise NotFound(f"窗口号不存在或已停用：{window_number} 号窗口", field="window")
    if row["replay_ticket"] is not None:
        if row["replay_window"] != window_number:
            raise ValidationError(f"请求编号 {request_id} 已被 {row['replay_window']} 号窗口使用", field="request_id")
        return view_of(session.get_one(Ticket, row["replay_ticket"]))
    if row["paused"]:
        reason = f"（{row['pause_reason']}）" if row["pause_reason"] else ""
        raise StateError(f"{window_number} 号窗口已暂停{reason}，请先恢复叫号", field="window")
    if row["held_code"] is not None:
        raise StateError(
            f"{window_number} 号窗口正在办理 {row['held_code']}，请先办结、过号或转窗后再叫号", field="window")
    if row["id"] is None:
        raise QueueEmpty(f"{window_number} 号窗口暂无等候的号")
    return view_of_row(row)


def call_next(
    store: Store,
    *,
    hall_code: str,
    window_number: int,
    request_id: str | None,
    clerk_id: int | None = None,
    priority_every: int = 3,
    clock: HallClock,
) -> TicketView:
    """Claim the next ticket for the window; :class:`QueueEmpty` (exit 3) when nothing waits for it."""
    at = clock.now()
    day = clock.day_of(at)

    def work(session: Session) -> TicketView:
        if session.get_bind().dialect.name == "postgresql":
            return _call_next_pg(session, hall_code, day, window_number, clerk_id=clerk_id, request_id=request_id,
                                 at=at, priority_every=priority_every)
        # Lock the window first: a concurrent twin of this request then waits here and sees our event.
        window = _lock_window(session, hall_code, window_number)
        replay = _replayed(session, request_id, window_number)
        if replay is not None:
            return view_of(replay)
        _check_open(session, window, hall_code, window_number, day)
        row = _claim_next(session, hall_code, day, window, priority_every=priority_every)
        if row is None:
            raise QueueEmpty(f"{window_number} 号窗口暂无等候的号")
        return _claim_row(session, row, window, clerk_id=clerk_id, request_id=request_id, at=at,
                          priority_every=priority_every)

    if store.is_sqlite or not request_id:
        return _idempotent(store, request_id, window_number, work, view_of)
    # PostgreSQL with a request id: no liveness ping before the claim (a round trip of its own: about a quarter of
    # the call with 8 windows on two cores, `bench_queue.py --breakdown`). A connection found dropped is retried
    # once on a fresh, pinged one; if the lost attempt had committed, the request id makes the retry answer with
    # the ticket it claimed.
    try:
        with store.unpinged():
            return _idempotent(store, request_id, window_number, work, view_of)
    except (StoreError, DBAPIError) as exc:
        if not connection_lost(exc):
            raise
    return _idempotent(store, request_id, window_number, work, view_of)


def call_ticket(
    store: Store,
    *,
    hall_code: str,
    window_number: int,
    code: str,
    request_id: str | None,
    clerk_id: int | None = None,
    reason: str = "",
    priority_every: int = 3,
    clock: HallClock,
) -> TicketView:
    """Call one particular ticket picked from the waiting list (or a 过号 applicant who came back); it must
    still be waiting or skipped. Passing over tickets that would have been called first needs a ``reason``
    (e.g. 申请人行动不便), kept on the call event with the codes passed over and counted in the day's report."""
    at = clock.now()
    day = clock.day_of(at)
    why = (reason or "").strip()
    if len(why) > 100:
        raise ValidationError("指定叫号的原因不能超过 100 个字", field="reason")

    def work(session: Session) -> TicketView:
        # Lock the window first: a concurrent twin of this request then waits here and sees our event.
        window = get_window(session, hall_code, window_number, lock=True)
        replay = _replayed(session, request_id, window_number)
        if replay is not None:
            return view_of(replay)
        _check_open(session, window, hall_code, window_number, day)
        ticket = _by_code(session, hall_code=hall_code, code=code, service_date=day, lock=True)
        if ticket.state not in ("waiting", "skipped"):
            where = f"（{ticket.window_number} 号窗口）" if ticket.window_number else ""
            raise StateError(f"号票 {ticket.code} 当前状态为 {view_of(ticket).state_label}{where}，不能叫号",
                             field="ticket")
        detail: dict[str, object] = {"how": "direct"}
        if ticket.state == "waiting":
            ahead = [i for i in next_candidates(session, hall_code, day, window, priority_every=priority_every)]
            passed = ahead[:ahead.index(ticket.id)] if ticket.id in ahead else ahead
            if passed:
                if not why:
                    raise ValidationError(f"{ticket.code} 前面还有 {len(passed)} 个号在等，跳过他们叫号请填写原因",
                                          field="reason")
                detail["passed"] = list(session.scalars(select(Ticket.code).where(Ticket.id.in_(passed))))
        else:
            detail["returned"] = True  # a 过号 applicant who came back
        if why:
            detail["reason"] = why
        return _claim(session, ticket, window, clerk_id=clerk_id, request_id=request_id, at=at, detail=detail)

    return _idempotent(store, request_id, window_number, work, view_of)


def _require_held(session: Session, hall_code: str, window_number: int, day: dt.date, *,
                  not_when_serving: str = "") -> Ticket:
    """The ticket the window holds. ``not_when_serving`` names an act (重呼, 过号) that only a called ticket
    allows; once service has started the refusal names that act."""
    get_window(session, hall_code, window_number, lock=True)
    ticket = _held(session, hall_code, window_number, day, lock=True)
    if ticket is None:
        raise StateError(f"{window_number} 号窗口当前没有已叫的号", field="window")
    if not_when_serving and ticket.state == "serving":
        raise StateError(f"号票 {ticket.code} 已开始办理，正在办理的号不能{not_when_serving}", field="window")
    return ticket


def recall(store: Store, *, hall_code: str, window_number: int, request_id: str | None = None,
           max_recalls: int = 0, clock: HallClock) -> TicketView:
    """重呼 the window's called ticket; each recall is counted and shown on the display again. A hall may cap
    recalls (``queue.recall_max``; 0 = no cap): past it the clerk is told to 过号 instead."""
    at = clock.now()
    day = clock.day_of(at)

    def work(session: Session) -> TicketView:
        get_window(session, hall_code, window_number, lock=True)
        replay = _replayed(session, request_id, window_number)
        if replay is not None:
            return view_of(replay)
        ticket = _require_held(session, hall_code, window_number, day, not_when_serving="重呼")
        if max_recalls > 0 and (ticket.recall_count or 0) >= max_recalls:
            raise StateError(f"{ticket.code} 已重呼 {ticket.recall_count} 次，达到本大厅上限，"
                             "申请人仍未到请点“过号”", field="window")
        ticket.recall_count = (ticket.recall_count or 0) + 1
        ticket.called_at = at
        session.add(TicketEvent(ticket_id=ticket.id, kind="recall", window_number=window_number,
                                clerk_id=ticket.clerk_id, request_id=request_id, at=at,
                                detail={"count": ticket.recall_count}))
        session.flush()
        return view_of(ticket)

    return _idempotent(store, request_id, window_number, work, view_of)


SKIP_TO = {"behind": "排回队列（在若干位等候者之后）", "end": "排到队尾", "drop": "直接作过号处理"}


def skip(store: Store, *, hall_code: str, window_number: int, requeue_behind: int = 3, to: str = "behind",
         requeue_times: int = 1, clock: HallClock) -> TicketView:
    """过号: the applicant did not come. Where the ticket goes is the hall's rule (``queue.skip_to``):
    ``behind`` — back into the line behind ``requeue_behind`` waiting tickets of its category; ``end`` — to the
    end of the line; ``drop`` — closed as 过号 at once. A ticket goes back at most ``requeue_times`` times; the
    next 过号 closes it (``skipped``), and a clerk may still call it by number if the applicant returns."""
    if to not in SKIP_TO:
        raise ValidationError(f"过号去向无法识别：{to!r}；可选：{'、'.join(f'{k}（{v}）' for k, v in SKIP_TO.items())}",
                              field="skip_to")
    at = clock.now()
    day = clock.day_of(at)
    with store.write() as session:
        ticket = _require_held(session, hall_code, window_number, day, not_when_serving="过号")
        ticket.skip_count = (ticket.skip_count or 0) + 1
        requeued = to != "drop" and ticket.skip_count <= max(requeue_times, 0)
        if requeued:
            ahead: list[dt.datetime] = []
            if to == "behind" and requeue_behind > 0:
                ahead = list(session.scalars(
                    select(Ticket.queued_at).where(
                        Ticket.hall_code == hall_code, Ticket.service_date == day, Ticket.state == "waiting",
                        Ticket.category == ticket.category, Ticket.window_number.is_(None), Ticket.id != ticket.id,
                    ).order_by(Ticket.queued_at, Ticket.id).limit(requeue_behind)
                ))
            # Just behind the n-th waiting ticket; with fewer waiting (or ``end``), at the end of the line.
            ticket.queued_at = (ahead[-1] + dt.timedelta(microseconds=1)
                                if ahead and len(ahead) >= requeue_behind else at)
            ticket.state, ticket.window_number = "waiting", None
            # Back in the ordinary lane: a requeued 绿色通道 or appointment ticket must not jump again.
            ticket.priority = ""
            ticket.appointment_id = None
        else:
            ticket.state = "skipped"
        session.add(TicketEvent(ticket_id=ticket.id, kind="skip", window_number=window_number,
                                clerk_id=ticket.clerk_id, at=at,
                                detail={"requeued": requeued, "count": ticket.skip_count, "to": to}))
        session.flush()
        return view_of(ticket)


def transfer(store: Store, *, hall_code: str, window_number: int, to_window: int | None = None,
             to_category: str | None = None, clock: HallClock) -> TicketView:
    """转窗: hand the window's ticket to another window or category; it keeps its place (``queued_at``)."""
    if to_window is None and not (to_category or "").strip():
        raise ValidationError("请指定转往的窗口或业务类别", field="to")
    at = clock.now()
    day = clock.day_of(at)
    with store.write() as session:
        ticket = _require_held(session, hall_code, window_number, day)
        detail: dict[str, object] = {"from_window": window_number}
        if to_window is not None:
            if to_window == window_number:
                raise ValidationError("不能转给本窗口", field="to_window")
            get_window(session, hall_code, to_window)
            detail["to_window"] = to_window
        if to_category:
            letter = check_category(session, hall_code, to_category)
            detail["from_category"], detail["to_category"] = ticket.category, letter
            ticket.category = letter
        ticket.state = "waiting"
        ticket.window_number = to_window
        ticket.transferred_from = window_number
        ticket.started_at = None
        session.add(TicketEvent(ticket_id=ticket.id, kind="transfer", window_number=window_number,
                                clerk_id=ticket.clerk_id, at=at, detail=detail))
        session.flush()
        return view_of(ticket)


def start_service(store: Store, *, hall_code: str, window_number: int,
                  clock: HallClock) -> TicketView:
    """The applicant has arrived at the window: service starts (ends the walk time). Repeating is a no-op."""
    at = clock.now()
    day = clock.day_of(at)
    with store.write() as session:
        ticket = _require_held(session, hall_code, window_number, day)
        if ticket.state == "called":
            ticket.state, ticket.started_at = "serving", at
            session.add(TicketEvent(ticket_id=ticket.id, kind="start", window_number=window_number,
                                    clerk_id=ticket.clerk_id, at=at))
            session.flush()
        return view_of(ticket)


def finish(store: Store, *, hall_code: str, window_number: int, code: str | None = None,
           clock: HallClock) -> TicketView:
    """办结 the window's ticket (or the named one, which must be held by this window)."""
    at = clock.now()
    day = clock.day_of(at)
    with store.write() as session:
        if code:
            get_window(session, hall_code, window_number)
            ticket = _by_code(session, hall_code=hall_code, code=code, service_date=day, lock=True)
            if ticket.state not in HELD_STATES:
                raise StateError(f"号票 {ticket.code} 当前状态为 {view_of(ticket).state_label}，不能办结",
                                 field="ticket")
            if ticket.window_number != window_number:
                raise StateError(f"号票 {ticket.code} 由 {ticket.window_number} 号窗口办理，"
                                 f"{window_number} 号窗口不能办结", field="ticket")
        else:
            ticket = _require_held(session, hall_code, window_number, day)
        ticket.state, ticket.finished_at = "done", at
        session.add(TicketEvent(ticket_id=ticket.id, kind="finish", window_number=window_number,
                                clerk_id=ticket.clerk_id, at=at))
        session.flush()
        return view_of(ticket)


def pause_window(store: Store, *, hall_code: str, window_number: int, reason: str, actor: str = "",
                 clock: HallClock) -> WindowState:
    """暂停叫号 with a reason the display shows (e.g. 暂停服务：系统维护)."""
    text = (reason or "").strip()
    if not text:
        raise ValidationError("请填写暂停原因", field="reason")
    if len(text) > 100:
        raise ValidationError("暂停原因不能超过 100 个字", field="reason")
    at = clock.now()
    with store.write() as session:
        window = get_window(session, hall_code, window_number, lock=True)
        window.paused, window.pause_reason = True, text
        session.add(AuditEvent(at=at, actor=actor, action="queue.pause", target=f"{hall_code}/{window_number}",
                               detail={"reason": text}))
        session.flush()
        return _state(session, window, clock.day_of(at))


def resume_window(store: Store, *, hall_code: str, window_number: int, actor: str = "",
                  clock: HallClock) -> WindowState:
    at = clock.now()
    with store.write() as session:
        window = get_window(session, hall_code, window_number, lock=True)
        if window.paused:
            window.paused, window.pause_reason = False, ""
            session.add(AuditEvent(at=at, actor=actor, action="queue.resume", target=f"{hall_code}/{window_number}"))
            session.flush()
        return _state(session, window, clock.day_of(at))


def window_state(session: Session, *, hall_code: str, window_number: int,
                 clock: HallClock) -> WindowState:
    window = get_window(session, hall_code, window_number)
    return _state(session, window, clock.today())


def _state(session: Session, window: Window, day: dt.date) -> WindowState:
    held = _held(session, window.hall_code, window.number, day)
    return WindowState(
        number=window.number, name=window.name,
        categories=tuple(str(c).upper() for c in (window.categories or [])),
        paused=bool(window.paused), pause_reason=window.pause_reason or "",
        current=view_of(held) if held is not None else None,
    )


def waiting_for_window(session: Session, *, hall_code: str, window_number: int,
                       clock: HallClock) -> int:
    """How many tickets this window could call now (its categories plus transfers to it)."""
    window = get_window(session, hall_code, window_number)
    day = clock.today()
    cats = [str(c).upper() for c in (window.categories or [])]
    cond = Ticket.window_number == window_number
    if cats:
        cond = or_(cond, and_(Ticket.window_number.is_(None), Ticket.category.in_(cats)))
    return int(session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.hall_code == hall_code, Ticket.service_date == day, Ticket.state == "waiting", cond)) or 0)


def waiting_list(session: Session, *, hall_code: str, window_number: int, priority_every: int = 3,
                 limit: int = 50, clock: HallClock) -> list[TicketView]:
    """The tickets this window could call, in the order call-next would take them (the first is "next"), for
    the clerk to pick one from (:func:`call_ticket`)."""
    window = get_window(session, hall_code, window_number)
    ids = next_candidates(session, hall_code, clock.today(), window, priority_every=priority_every, limit=limit)
    rows = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(ids)))} if ids else {}
    seen: set[int] = set()
    out: list[TicketView] = []
    for i in ids:
        if i in rows and i not in seen:
            seen.add(i)
            out.append(view_of(rows[i]))
    return out[:limit]


def other_windows(session: Session, *, hall_code: str, window_number: int) -> list[tuple[int, str]]:
    """Active windows a ticket may be transferred to, for the transfer dialog."""
    rows = session.execute(select(Window.number, Window.name).where(
        Window.hall_code == hall_code, Window.active.is_(True), Window.number != window_number)
        .order_by(Window.number))
    return [(int(n), str(name)) for n, name in rows]


__all__ = [
    "SKIP_TO",
    "NotFound",
    "WindowState",
    "call_next",
    "call_ticket",
    "finish",
    "hall_categories",
    "other_windows",
    "pause_window",
    "recall",
    "resume_window",
    "skip",
    "start_service",
    "transfer",
    "waiting_for_window",
    "waiting_list",
    "window_state",
]
