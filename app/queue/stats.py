"""Per-ticket times from the event log: wait (issue → first call), walk (last call → start), service
(start → finish; from the last call when the clerk never pressed 开始办理)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import aware
from app.store.models import Ticket, TicketEvent


@dataclass(frozen=True)
class TicketTimes:
    ticket_id: int
    code: str
    category: str
    state: str
    window_number: int | None
    wait_s: float | None
    walk_s: float | None
    service_s: float | None
    recalls: int
    skips: int
    transfers: int


@dataclass(frozen=True)
class CategoryStats:
    category: str
    issued: int  # printed (void tickets never count)
    served: int
    skipped: int
    avg_wait_s: float | None
    p90_wait_s: float | None
    avg_service_s: float | None


def ticket_times(session: Session, *, hall_code: str, service_date: dt.date) -> list[TicketTimes]:
    tickets = {t.id: t for t in session.scalars(
        select(Ticket).where(Ticket.hall_code == hall_code, Ticket.service_date == service_date))}
    events: dict[int, list[TicketEvent]] = defaultdict(list)
    if tickets:
        for e in session.scalars(select(TicketEvent).join(Ticket, Ticket.id == TicketEvent.ticket_id)
                                 .where(Ticket.hall_code == hall_code, Ticket.service_date == service_date)
                                 .order_by(TicketEvent.at, TicketEvent.id)):
            events[e.ticket_id].append(e)
    out = []
    for tid, t in sorted(tickets.items()):
        evs = events.get(tid, [])
        issued = next((aware(e.at) for e in evs if e.kind == "issue"), aware(t.issued_at))
        calls = [aware(e.at) for e in evs if e.kind in ("call", "recall")]
        first_call = next((aware(e.at) for e in evs if e.kind == "call"), None)
        start = next((aware(e.at) for e in reversed(evs) if e.kind == "start"), None)
        fin = next((aware(e.at) for e in reversed(evs) if e.kind == "finish"), None)
        last_call_before_start = max((c for c in calls if start is None or c <= start), default=None)
        wait = (first_call - issued).total_seconds() if first_call else None
        walk = (start - last_call_before_start).total_seconds() if start and last_call_before_start else None
        begin = start or last_call_before_start
        service = (fin - begin).total_seconds() if fin and begin else None
        out.append(TicketTimes(
            ticket_id=tid, code=t.code, category=t.category, state=t.state, window_number=t.window_number,
            wait_s=wait, walk_s=walk, service_s=service,
            recalls=sum(e.kind == "recall" for e in evs), skips=sum(e.kind == "skip" for e in evs),
            transfers=sum(e.kind == "transfer" for e in evs)))
    return out


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def category_stats(session: Session, *, hall_code: str, service_date: dt.date) -> list[CategoryStats]:
    by_cat: dict[str, list[TicketTimes]] = defaultdict(list)
    for row in ticket_times(session, hall_code=hall_code, service_date=service_date):
        if row.state not in ("void", "issuing"):
            by_cat[row.category].append(row)
    out = []
    for cat, rows in sorted(by_cat.items()):
        waits = [r.wait_s for r in rows if r.wait_s is not None]
        services = [r.service_s for r in rows if r.service_s is not None]
        out.append(CategoryStats(
            category=cat, issued=len(rows), served=sum(r.state == "done" for r in rows),
            skipped=sum(r.state == "skipped" for r in rows),
            avg_wait_s=statistics.fmean(waits) if waits else None, p90_wait_s=_p90(waits),
            avg_service_s=statistics.fmean(services) if services else None))
    return out
