"""The hall clock the tests hand to services: the machine's clock in the hall's zone (Asia/Shanghai), or standing
at the instant ``ZC_CLOCK_AT`` names, exactly as the product reads it (``Settings.hall_clock``). A test that needs a
particular instant freezes its own (``HallClock.frozen`` or :func:`on`)."""

from __future__ import annotations

import datetime as dt

from app.clock import HallClock
from app.settings import Settings

CLOCK: HallClock = Settings().hall_clock()


def on(day: dt.date, time: dt.time = dt.time(10, 0)) -> HallClock:
    """A clock standing at ``time`` (default 10:00) of the hall day ``day``."""
    return HallClock.frozen(dt.datetime.combine(day, time, CLOCK.zone))
