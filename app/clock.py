"""The hall's clock: times are stored in UTC; days, deadlines and printed times are China Standard Time."""

from __future__ import annotations

import datetime as dt

HALL_TZ = dt.timezone(dt.timedelta(hours=8), "CST")  # Inner Mongolia keeps Beijing time (no DST)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything the store writes is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def hall_date(at: dt.datetime | None = None) -> dt.date:
    """The hall's calendar day of ``at`` (now when omitted)."""
    return aware(at or dt.datetime.now(dt.UTC)).astimezone(HALL_TZ).date()
