"""The lockout message names the hall's wall-clock time, whatever the PC's timezone (issue 20)."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from app import auth
from app.clock import HallClock
from app.errors import StateError, ValidationError
from app.store import Store
from tests.app.test_auth import add_clerk


@pytest.mark.parametrize("pc_zone", ["UTC", "America/New_York"])
def test_locked_until_is_shown_in_the_hall_timezone(sqlite_store: Store, pc_zone: str) -> None:
    before = os.environ.get("TZ")
    os.environ["TZ"] = pc_zone
    time.tzset()
    try:
        add_clerk(sqlite_store)
        t0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 17:00 in Inner Mongolia (UTC+8)
        for i in range(3):
            with pytest.raises((ValidationError, StateError)):
                auth.authenticate(sqlite_store, "clerk01", "wrong-pass", host="h", max_failures=3, lock_minutes=15,
                                  clock=HallClock.frozen(t0 + dt.timedelta(seconds=i), "Asia/Shanghai"))
        with pytest.raises(StateError) as err:
            auth.authenticate(sqlite_store, "clerk01", "Secret-123", host="h", max_failures=3, lock_minutes=15,
                              clock=HallClock.frozen(t0 + dt.timedelta(minutes=5), "Asia/Shanghai"))
        assert "请 17:15 后再试" in err.value.message  # 09:15 UTC is 17:15 at the hall, not the PC's 09:15/04:15
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
