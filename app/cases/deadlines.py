"""A case's due dates from its events: the one function every screen, document and report reads them through.

Acceptance fixes the start day and the matter's limits; a §42 extension adds working days to both limits;
a §45 period (听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审) or the back office's return for 补正 stops the
clock from the day it starts until the day it ends — the working days in between do not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from app.catalog.model import TimeLimit
from app.vocabulary import CLOCK_STOP_LABELS

MAX_EXTENSION_WORKDAYS = 10  # 行政许可法 §42: 20 working days, extendable by 10 with the head's approval


class CalendarLike(Protocol):
    def due_date(self, start: dt.date, limit: TimeLimit) -> dt.date: ...
    def add_workdays(self, start: dt.date, days: int) -> dt.date: ...
    def workdays_between(self, a: dt.date, b: dt.date) -> int: ...


class EventLike(Protocol):
    kind: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class Pause:
    kind: str  # a key of app.vocabulary.CLOCK_STOP_LABELS
    start: dt.date
    end: dt.date | None  # None: the clock is still stopped
    workdays: int  # working days not counted (so far, when still open)

    @property
    def label(self) -> str:
        return CLOCK_STOP_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class CaseDeadlines:
    promised_due: dt.date | None
    legal_due: dt.date | None
    extended_days: int = 0
    extension_approved_by: str = ""
    pauses: tuple[Pause, ...] = ()

    @property
    def paused(self) -> Pause | None:
        """The period the clock is stopped for now, if any."""
        return next((p for p in self.pauses if p.end is None), None)

    def notes(self) -> list[str]:
        """What a receipt, the lookup and a report say besides the dates: paused, extended, not counted."""
        out = []
        if self.extended_days:
            out.append(f"经{self.extension_approved_by}批准延长 {self.extended_days} 个工作日（行政许可法第四十二条）")
        for p in self.pauses:
            if p.end is None:
                out.append(f"自 {p.start:%Y-%m-%d} 起{p.label}，暂停计时，期限顺延至恢复计时")
            else:
                out.append(f"{p.start:%Y-%m-%d} 至 {p.end:%Y-%m-%d} {p.label}，{p.workdays} 个工作日不计入期限")
        return out


def event_day(event: EventLike) -> dt.date:
    """The hall day an event counts from (``detail["day"]``, written by the time-rule transitions)."""
    return dt.date.fromisoformat(str(event.detail["day"]))


def case_deadlines(
    *,
    accepted_on: dt.date,
    promised: TimeLimit | None,
    legal: TimeLimit | None,
    events: Iterable[EventLike],
    calendar: CalendarLike,
    today: dt.date | None = None,
) -> CaseDeadlines:
    """Due dates from acceptance, extensions and stopped periods.

    An open stop counts to ``today`` when given (the date keeps moving while the clock is stopped); without
    ``today`` it counts nothing yet, and the dates are those the case would have if the clock started again now.
    """
    extended = 0
    approved_by = ""
    pauses: list[Pause] = []
    open_stop: tuple[str, dt.date] | None = None
    for e in events:
        if e.kind == "extend":
            extended += int(e.detail.get("days", 0))
            approved_by = str(e.detail.get("approved_by", ""))
        elif e.kind in ("clock_stop", "return") and open_stop is None:
            open_stop = (str(e.detail.get("stop", "supplement")), event_day(e))
        elif e.kind == "clock_resume" and open_stop is not None:
            end = event_day(e)
            pauses.append(Pause(open_stop[0], open_stop[1], end, calendar.workdays_between(open_stop[1], end)))
            open_stop = None
    if open_stop is not None:
        counted = calendar.workdays_between(open_stop[1], today) if today and today > open_stop[1] else 0
        pauses.append(Pause(open_stop[0], open_stop[1], None, counted))
    stopped = sum(p.workdays for p in pauses)

    def due(limit: TimeLimit | None) -> dt.date | None:
        if limit is None:
            return None
        base = calendar.due_date(accepted_on, limit)
        shift = stopped + (extended if limit.unit == "workday" else 0)
        return calendar.add_workdays(base, shift) if shift else base

    return CaseDeadlines(promised_due=due(promised), legal_due=due(legal), extended_days=extended,
                         extension_approved_by=approved_by, pauses=tuple(pauses))
