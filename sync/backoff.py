"""Retry timing: full-jitter exponential backoff, Retry-After parsing, and when an item gives up (parked)."""

from __future__ import annotations

import datetime as dt
import email.utils
import random

BASE_SECONDS = 2.0
CAP_SECONDS = 300.0
PARK_AFTER_ATTEMPTS = 20
PARK_AFTER_AGE = dt.timedelta(days=7)


def full_jitter(attempts: int, *, base: float = BASE_SECONDS, cap: float = CAP_SECONDS,
                rng: random.Random | None = None) -> float:
    """Seconds to wait after the ``attempts``-th failure: uniform in [0, min(cap, base·2^(attempts-1))].

    Full jitter (AWS architecture blog, 2015) spreads a village's PCs so they do not all retry together when
    the link returns.
    """
    exponent = min(max(attempts - 1, 0), 32)
    ceiling = min(cap, base * (2**exponent))
    return (rng or random).uniform(0.0, ceiling)


def parse_retry_after(value: str | None, *, now: dt.datetime) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def should_park(attempts: int, created_at: dt.datetime, now: dt.datetime) -> bool:
    """An item stops retrying by itself after 20 attempts or 7 days; it is kept, shown and can be re-queued."""
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=dt.UTC)
    return attempts >= PARK_AFTER_ATTEMPTS or now - created_at >= PARK_AFTER_AGE
