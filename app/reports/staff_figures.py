"""Per-clerk and per-window figures for the supervisor (issue 18): served, average handling time, pauses by
reason, 好评率 and overdue cases, each row drilling down to its cases.

Aggregated in SQL like the rest of app.reports (one grouped statement per source table); only the pauses are
paired in Python, from the day's few ``queue.pause`` / ``queue.resume`` audit entries. Definitions (docs/reports.md):

- served: tickets finished (``done``) by the clerk / at the window on the period's days;
- handling: finish minus start (or call, when never started) of those tickets, averaged;
- pauses: 暂停叫号 entries in the period by reason, with the time until the window resumed (or the period's end);
- 好评率: ratings of 满意 or better over all ratings given in the period to that clerk / window;
- overdue: the period's cases of that clerk / window still open after their promised deadline (today).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app.clock import HallClock
from app.store.models import AuditEvent, Case, Clerk, Rating, Ticket

# A case is still open (its deadline runs or waits on the applicant) in these states.
OPEN_STATES = ("accepted", "awaiting_supplement", "forwarded", "collected")


@dataclass(frozen=True)
class Pause:
    reason: str
    count: int
    seconds: float


@dataclass(frozen=True)
class FigureRow:
    """One clerk's or one window's figures; ``drill`` / ``overdue_drill`` name its case lists in the report."""

    key: str
    label: str
    served: int = 0
    handling_avg_s: float | None = None
    cases: int = 0
    ratings: int = 0
    good: int = 0
    overdue: int = 0
    pauses: tuple[Pause, ...] = ()
    drill: str = ""
    overdue_drill: str = ""

    @property
    def good_rate(self) -> float | None:
        return self.good / self.ratings if self.ratings else None

    @property
    def pause_text(self) -> str:
        return "；".join(f"{p.reason} {p.count} 次 {round(p.seconds / 60)} 分" for p in self.pauses) or "—"

    def to_json(self) -> dict[str, Any]:
        rate = self.good_rate
        return {"key": self.key, "label": self.label, "served": self.served,
                "handling_avg_s": None if self.handling_avg_s is None else round(self.handling_avg_s, 1),
                "cases": self.cases, "ratings": self.ratings, "good": self.good,
                "good_rate": None if rate is None else round(rate, 4), "overdue": self.overdue,
                "pauses": [{"reason": p.reason, "count": p.count, "seconds": round(p.seconds)} for p in self.pauses]}


@dataclass(frozen=True)
class StaffFigures:
    clerks: tuple[FigureRow, ...] = ()
    windows: tuple[FigureRow, ...] = ()
    drill: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"clerks": [r.to_json() for r in self.clerks], "windows": [r.to_json() for r in self.windows]}


def staff_figures(session: Session, *, start: dt.date, end: dt.date, hall_code: str | None,
                  clock: HallClock) -> StaffFigures:
    from app.reports.daily import SEP, _epoch_us, _hall, _joined, _nonneg

    lo, hi = clock.day_bounds(start, end)
    today = clock.today()
    acc: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"served": 0, "service_us": 0, "timed": 0,
                                                                       "cases": [], "overdue": [], "ratings": 0,
                                                                       "good": 0, "pauses": {}})
    begin = func.coalesce(Ticket.started_at, Ticket.called_at)
    service_us = _nonneg(_epoch_us(session, Ticket.finished_at) - _epoch_us(session, begin))
    done = and_(Ticket.service_date.between(start, end), Ticket.state == "done", Ticket.finished_at.is_not(None))
    # One statement per table, grouped by clerk and window together (a few dozen groups), each group added to its
    # clerk's row and its window's: the range's rows are read once, not once per breakdown.
    stmt = _hall(select(Ticket.clerk_id, Ticket.window_number, func.count(), func.sum(service_us), func.count(begin))
                 .where(done).group_by(Ticket.clerk_id, Ticket.window_number), Ticket.hall_code, hall_code)
    for clerk, window, n, total_us, timed in session.execute(stmt):
        for row in (acc[("clerk", _key(clerk))], acc[("window", _key(window))]):
            row["served"] += int(n)
            row["service_us"] += int(total_us or 0)
            row["timed"] += int(timed or 0)
    overdue = and_(Case.state.in_(OPEN_STATES), Case.promised_due.is_not(None), Case.promised_due < today)
    stmt = _hall(select(Case.clerk_id, Case.window_number, overdue, func.count(), _joined(session, Case.case_no))
                 .where(Case.service_date.between(start, end)).group_by(Case.clerk_id, Case.window_number, overdue),
                 Case.hall_code, hall_code)
    for clerk, window, late, _n, numbers in session.execute(stmt):
        items = numbers.split(SEP)
        for row in (acc[("clerk", _key(clerk))], acc[("window", _key(window))]):
            row["cases"].extend(items)
            if late:
                row["overdue"].extend(items)
    good = func.sum(case((Rating.level >= 4, 1), else_=0))
    stmt = _hall(select(Rating.clerk_id, Rating.window_number, func.count(), good)
                 .where(Rating.at >= lo, Rating.at < hi).group_by(Rating.clerk_id, Rating.window_number),
                 Rating.hall_code, hall_code)
    for clerk, window, n, g in session.execute(stmt):
        for row in (acc[("clerk", _key(clerk))], acc[("window", _key(window))]):
            row["ratings"] += int(n)
            row["good"] += int(g or 0)
    _pauses(session, acc, lo=lo, hi=min(hi, max(lo, clock.now())), hall_code=hall_code)

    ids = [int(k) for kind, k in acc if kind == "clerk" and k.isdigit()]
    names = {str(i): str(n) for i, n in session.execute(select(Clerk.id, Clerk.name).where(Clerk.id.in_(ids)))}
    drill: dict[str, tuple[str, ...]] = {}
    rows: dict[str, list[FigureRow]] = {"clerk": [], "window": []}
    for (kind, key), v in acc.items():
        label = (names.get(key, f"人员 {key}") if key != "-" else "（未登录）") if kind == "clerk" \
            else (f"{key} 号窗口" if key != "-" else "（无窗口）")
        drill[f"staff_{kind}:{key}"] = tuple(sorted(v["cases"]))
        drill[f"staff_{kind}_overdue:{key}"] = tuple(sorted(v["overdue"]))
        pauses = tuple(Pause(reason, n, secs) for reason, (n, secs) in sorted(v["pauses"].items()))
        rows[kind].append(FigureRow(
            key=key, label=label, served=v["served"],
            handling_avg_s=v["service_us"] / 1e6 / v["timed"] if v["timed"] else None, cases=len(v["cases"]),
            ratings=v["ratings"], good=v["good"], overdue=len(v["overdue"]), pauses=pauses,
            drill=f"staff_{kind}:{key}", overdue_drill=f"staff_{kind}_overdue:{key}"))
    return StaffFigures(clerks=tuple(sorted(rows["clerk"], key=lambda r: (-r.served, -r.cases, r.label))),
                        windows=tuple(sorted(rows["window"], key=lambda r: _window_order(r.key))),
                        drill=drill)


def _key(value: Any) -> str:
    return "-" if value is None else str(value)


def _window_order(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (1 << 30, key)


def _pauses(session: Session, acc: dict[tuple[str, str], dict[str, Any]], *, lo: dt.datetime, hi: dt.datetime,
            hall_code: str | None) -> None:
    """暂停叫号 by reason per window and per clerk (the one who paused), each lasting until the window's next
    resume or ``hi``. Only the period's pause and resume entries are read (a few a day per window)."""
    stmt = select(AuditEvent.action, AuditEvent.target, AuditEvent.actor, AuditEvent.at, AuditEvent.detail).where(
        AuditEvent.action.in_(("queue.pause", "queue.resume")), AuditEvent.at >= lo, AuditEvent.at < hi)
    if hall_code:
        stmt = stmt.where(AuditEvent.target.like(f"{hall_code}/%"))
    open_pause: dict[str, tuple[dt.datetime, str, str]] = {}
    spans: list[tuple[str, str, str, float]] = []  # window, actor, reason, seconds

    def close(target: str, until: dt.datetime) -> None:
        since, actor, reason = open_pause.pop(target)
        spans.append((target.rsplit("/", 1)[-1], actor, reason, max(0.0, (until - since).total_seconds())))

    for action, target, actor, at, detail in session.execute(stmt.order_by(AuditEvent.at, AuditEvent.id)):
        at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
        if target in open_pause:
            close(target, at)  # a resume, or a second pause that replaces the reason
        if action == "queue.pause":
            open_pause[target] = (at, actor or "", str((detail or {}).get("reason", "")) or "（未注明）")
    for target in list(open_pause):
        close(target, hi)
    if not spans:
        return
    usernames = {a for _w, a, _r, _s in spans if a}
    ids = {str(u): str(i) for u, i in session.execute(select(Clerk.username, Clerk.id)
                                                       .where(Clerk.username.in_(usernames)))}
    for window, actor, reason, seconds in spans:
        for kind, key in (("window", window), ("clerk", ids.get(actor, "-"))):
            n, total = acc[(kind, key)]["pauses"].get(reason, (0, 0.0))
            acc[(kind, key)]["pauses"][reason] = (n + 1, total + seconds)


__all__ = ["FigureRow", "Pause", "StaffFigures", "staff_figures"]
