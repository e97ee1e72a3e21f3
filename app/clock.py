"""The hall clock: the one source of "now" and "today" for the counter, its hub and its papers.

Instants are stored as timezone-aware UTC; days, deadlines, case numbers and printed times are the hall's own
(its zone from the settings, ``hall.timezone``, default Asia/Shanghai — Inner Mongolia keeps Beijing time). A
``HallClock`` is built once from the settings and handed to services and screens (``AppContext.clock``), so a
test can stand the whole product at any instant: ``HallClock.frozen("2026-12-31T23:59:59+08:00")``.

This module is the only place that reads the machine's clock (``tests/test_clock_sources.py`` walks the tree).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import SettingsError

DEFAULT_TIMEZONE = "Asia/Shanghai"


def system_now() -> dt.datetime:
    """The machine's clock as an aware UTC instant — the only reading of it in the product."""
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything the store writes is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def aware_or_none(value: dt.datetime | None) -> dt.datetime | None:
    return aware(value) if value is not None else None


def hall_zone(name: str) -> dt.tzinfo:
    """The zone a hall setting names, or SettingsError saying so."""
    try:
        return ZoneInfo(name.strip() or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"设置 hall.timezone 不是已知的时区：{name!r}（例如 {DEFAULT_TIMEZONE}）") from None


def _instant(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        raise ValueError(f"a clock instant needs its zone: {value!r}")
    return value.astimezone(dt.UTC)


class HallClock:
    """Now and today as the hall sees them.

    ``source`` returns the current UTC instant (the machine's clock unless a test sets one). A frozen clock
    (``HallClock.frozen``) stays where it is put until ``set`` or ``advance`` moves it; it is safe to share
    between the GUI thread and the store's worker.
    """

    def __init__(self, zone: dt.tzinfo | str = DEFAULT_TIMEZONE, *,
                 source: Callable[[], dt.datetime] = system_now) -> None:
        self.zone: dt.tzinfo = hall_zone(zone) if isinstance(zone, str) else zone
        self._source = source
        self._fixed: dt.datetime | None = None
        self._lock = threading.Lock()

    @classmethod
    def frozen(cls, at: dt.datetime | str, zone: dt.tzinfo | str = DEFAULT_TIMEZONE) -> HallClock:
        """A clock standing still at ``at`` (aware, or ISO text with an offset)."""
        clock = cls(zone)
        clock.set(at)
        return clock

    # --- moving a test clock ---------------------------------------------------------------------------------

    def set(self, at: dt.datetime | str) -> None:
        with self._lock:
            self._fixed = _instant(at)

    def advance(self, delta: dt.timedelta | None = None, **parts: float) -> dt.datetime:
        """Move a frozen clock on (``advance(minutes=5)``); returns the new instant."""
        step = (delta or dt.timedelta()) + dt.timedelta(**parts)
        with self._lock:
            if self._fixed is None:
                raise RuntimeError("only a frozen clock can be advanced")
            self._fixed += step
            return self._fixed

    # --- reading ---------------------------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The current instant, aware UTC (what the store keeps)."""
        with self._lock:
            fixed = self._fixed
        return fixed if fixed is not None else self._source().astimezone(dt.UTC)

    def local_now(self) -> dt.datetime:
        """The current instant on the hall's wall clock."""
        return self.now().astimezone(self.zone)

    def today(self) -> dt.date:
        """The hall's calendar day now."""
        return self.local_now().date()

    def local(self, at: dt.datetime) -> dt.datetime:
        """A stored instant on the hall's wall clock (naive values from SQLite are UTC)."""
        return aware(at).astimezone(self.zone)

    def day_of(self, at: dt.datetime) -> dt.date:
        """The hall's calendar day of a stored instant."""
        return self.local(at).date()

    def at(self, day: dt.date, time: dt.time = dt.time()) -> dt.datetime:
        """The UTC instant of a wall-clock time on a hall day (``at(day, time(9))`` is 09:00 in the hall)."""
        return dt.datetime.combine(day, time).replace(tzinfo=self.zone).astimezone(dt.UTC)

    def day_bounds(self, first: dt.date, last: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) in UTC of the hall days ``first`` … ``last`` (one day when ``last`` is omitted)."""
        return self.at(first), self.at((last or first) + dt.timedelta(days=1))

    def __repr__(self) -> str:
        state = f"frozen at {self._fixed.isoformat()}" if self._fixed is not None else "running"
        return f"HallClock({self.zone}, {state})"
