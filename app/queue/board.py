"""What the hall display shows: each window's current call, the latest calls, and how many wait per category.

Names appear masked (张*); ID numbers never leave the store through here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import HallClock, aware
from app.queue.common import HELD_STATES, catalog_category_names_mn, get_hall, hall_categories, mask_name
from app.store.models import Ticket, TicketEvent, Window


@dataclass(frozen=True)
class WindowBoard:
    number: int
    name: str
    paused: bool
    pause_reason: str
    code: str | None  # the ticket it holds now, if any
    state: str | None  # called | serving
    masked_name: str
    name_mn: str = ""  # the window's name in Mongolian script, "" when none is configured


@dataclass(frozen=True)
class BoardCall:
    event_id: int  # increases with every call and recall: a larger one is a new call to announce
    code: str
    window_number: int
    kind: str  # call | recall
    at: dt.datetime
    masked_name: str


@dataclass(frozen=True)
class CategoryCount:
    category: str
    name: str
    waiting: int
    name_mn: str = ""  # the category's Mongolian name from the catalog, "" when it has none


@dataclass(frozen=True)
class BoardView:
    hall_code: str
    hall_name: str
    service_date: dt.date
    windows: tuple[WindowBoard, ...]
    recent: tuple[BoardCall, ...]  # newest first
    waiting: tuple[CategoryCount, ...]
    bilingual: bool = True  # the hall's choice (hall.bilingual); the display asks app.language with it

    @property
    def latest_call_id(self) -> int:
        return self.recent[0].event_id if self.recent else 0

    @property
    def total_waiting(self) -> int:
        return sum(c.waiting for c in self.waiting)


def hall_board(session: Session, hall_code: str, *, clock: HallClock, recent: int = 8) -> BoardView:
    day = clock.today()
    hall = get_hall(session, hall_code)
    held = {
        t.window_number: t
        for t in session.scalars(select(Ticket).where(
            Ticket.hall_code == hall_code, Ticket.service_date == day, Ticket.state.in_(HELD_STATES)))
    }
    windows = tuple(
        WindowBoard(
            number=w.number, name=w.name, name_mn=w.name_mn or "", paused=bool(w.paused),
            pause_reason=w.pause_reason or "",
            code=held[w.number].code if w.number in held else None,
            state=held[w.number].state if w.number in held else None,
            masked_name=mask_name(held[w.number].name or "") if w.number in held else "",
        )
        for w in session.scalars(select(Window).where(Window.hall_code == hall_code, Window.active.is_(True))
                                 .order_by(Window.number))
    )
    day_start, _ = clock.day_bounds(day)
    rows = session.execute(
        select(TicketEvent.id, Ticket.code, TicketEvent.window_number, TicketEvent.kind, TicketEvent.at, Ticket.name)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.kind.in_(("call", "recall")), TicketEvent.at >= day_start,
               Ticket.hall_code == hall_code, Ticket.service_date == day)
        .order_by(TicketEvent.id.desc()).limit(recent)
    )
    calls = tuple(BoardCall(event_id=int(i), code=c, window_number=int(w or 0), kind=k, at=aware(a),
                            masked_name=mask_name(n or "")) for i, c, w, k, a, n in rows)
    counts = dict(session.execute(
        select(Ticket.category, func.count()).where(
            Ticket.hall_code == hall_code, Ticket.service_date == day, Ticket.state == "waiting")
        .group_by(Ticket.category)).all())
    names = hall_categories(session, hall_code)
    for letter in counts:
        names.setdefault(letter, f"{letter} 类业务")
    names_mn = catalog_category_names_mn(session)
    waiting = tuple(CategoryCount(k, v, int(counts.get(k, 0)), names_mn.get(k, "")) for k, v in sorted(names.items()))
    return BoardView(hall_code=hall_code, hall_name=hall.name, service_date=day, windows=windows,
                     recent=calls, waiting=waiting, bilingual=bool(hall.bilingual))
