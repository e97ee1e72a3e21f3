"""The hall clock: one now and one today, in the hall's zone, whatever the machine's zone is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.clock import HallClock, hall_zone
from app.errors import SettingsError
from app.settings import load_settings

pytestmark = pytest.mark.date_sensitive


def test_the_hall_day_starts_at_hall_midnight_not_utc_midnight() -> None:
    clock = HallClock.frozen("2026-12-07T23:59:59+08:00")
    assert clock.today() == dt.date(2026, 12, 7)
    assert clock.now() == dt.datetime(2026, 12, 7, 15, 59, 59, tzinfo=dt.UTC)
    clock.advance(seconds=1)
    assert clock.today() == dt.date(2026, 12, 8)  # UTC is still 16:00 on the 7th
    assert clock.now().date() == dt.date(2026, 12, 7)


def test_stored_instants_read_in_hall_time_naive_ones_as_utc() -> None:
    clock = HallClock.frozen("2027-01-01T00:30:00+08:00")
    stored = dt.datetime(2026, 12, 31, 16, 30)  # how SQLite hands back 00:30 on New Year's Day in the hall
    assert clock.day_of(stored) == dt.date(2027, 1, 1)
    assert clock.local(stored).strftime("%Y-%m-%d %H:%M") == "2027-01-01 00:30"


def test_day_bounds_cover_exactly_the_hall_days() -> None:
    clock = HallClock("Asia/Shanghai")
    start, end = clock.day_bounds(dt.date(2028, 2, 28), dt.date(2028, 2, 29))
    assert start == dt.datetime(2028, 2, 27, 16, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2028, 2, 29, 16, 0, tzinfo=dt.UTC)
    assert clock.at(dt.date(2028, 2, 29), dt.time(9)) == dt.datetime(2028, 2, 29, 1, 0, tzinfo=dt.UTC)


def test_a_running_clock_follows_its_source() -> None:
    instants = iter([dt.datetime(2026, 12, 31, 15, 59, 59, tzinfo=dt.UTC),
                     dt.datetime(2026, 12, 31, 16, 0, 0, tzinfo=dt.UTC)])
    clock = HallClock(source=lambda: next(instants))
    assert clock.today() == dt.date(2026, 12, 31)
    assert clock.today() == dt.date(2027, 1, 1)


def test_the_zone_comes_from_the_settings_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    settings = load_settings(environ={"ZC_HALL_TIMEZONE": "Asia/Urumqi"},
                             data_dir=tmp_path)
    assert str(settings.hall_clock(environ={}).zone) == "Asia/Urumqi"
    with pytest.raises(SettingsError, match="不是已知的时区"):
        load_settings(environ={"ZC_HALL_TIMEZONE": "Mars/Olympus"}, data_dir=tmp_path)
    with pytest.raises(SettingsError, match="不是已知的时区"):
        hall_zone("Asia/Nowhere")


def test_a_drill_clock_stands_at_the_instant_the_environment_names(tmp_path: Path) -> None:
    settings = load_settings(environ={}, data_dir=tmp_path)
    clock = settings.hall_clock(environ={"ZC_CLOCK_AT": "2026-12-31T23:59:59+08:00"})
    assert clock.today() == dt.date(2026, 12, 31)
    with pytest.raises(SettingsError, match="ZC_CLOCK_AT"):
        settings.hall_clock(environ={"ZC_CLOCK_AT": "2026-12-31 23:59"})  # no zone: ambiguous


def test_a_running_clock_cannot_be_advanced_by_mistake() -> None:
    with pytest.raises(RuntimeError):
        HallClock().advance(minutes=5)
