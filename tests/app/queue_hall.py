"""A small hall for queue tests: 4 windows, categories A/B/C (window 1 serves all)."""

from __future__ import annotations

import datetime as dt

from app.clock import HallClock
from app.store import Store
from app.store.models import Hall, Window

HALL = "150929"
WINDOWS = ((1, "综合受理", ["A", "B", "C"]), (2, "社保医保", ["A"]), (3, "不动产登记", ["B"]), (4, "市场主体", ["C"]))
# A fixed working morning, so tests never straddle midnight.
DAY = dt.date(2026, 3, 10)
T0 = HallClock().at(DAY, dt.time(9))


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def clock_at(minutes: float) -> HallClock:
    """The hall clock standing ``minutes`` after 09:00 on the test morning."""
    return HallClock.frozen(at(minutes))


def make_hall(store: Store, windows: tuple[tuple[int, str, list[str]], ...] = WINDOWS) -> None:
    with store.write() as s:
        s.add(Hall(code=HALL, name="四子王旗政务服务中心"))
        s.flush()
        for number, name, cats in windows:
            s.add(Window(hall_code=HALL, number=number, name=name, categories=cats))


def utc(minutes: float) -> dt.datetime:
    """Times are stored as UTC (SQLite keeps no zone), as every writer of the store does."""
    return at(minutes)
