"""The official workday calendar: 2024–2026 holidays, 调休 makeup days, deadlines and updates."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalog.model import TimeLimit
from app.errors import CalendarError
from app.workdays import (
    WorkCalendar,
    clear_calendar_cache,
    default_calendar,
    install_calendar_update,
    load_calendar,
    parse_calendar_text,
    shipped_files,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cal(tmp_path: Path) -> WorkCalendar:
    return default_calendar(tmp_path)


def test_shipped_years_name_their_notices(cal: WorkCalendar) -> None:
    assert cal.years == (2024, 2025, 2026, 2027)  # 2027 provisional until its notice
    assert cal.year(2024).notice == "国办发明电〔2023〕7号"
    assert cal.year(2025).notice == "国办发明电〔2024〕12号"
    assert cal.year(2026).notice == "国办发明电〔2025〕7号"


def test_spring_festival_2025(cal: WorkCalendar) -> None:
    # Jan 28 (除夕) to Feb 4 off; Sunday Jan 26 and Saturday Feb 8 are makeup workdays.
    for day in range(28, 32):
        assert not cal.is_workday(date(2025, 1, day))
    for day in range(1, 5):
        assert not cal.is_workday(date(2025, 2, day))
    assert cal.holiday_name(date(2025, 1, 28)) == "春节"
    assert cal.is_workday(date(2025, 1, 26))
    assert cal.is_workday(date(2025, 2, 8))
    assert cal.day_info(date(2025, 2, 8)).kind == "makeup"
    assert cal.is_workday(date(2025, 2, 5))
    assert not cal.is_workday(date(2025, 2, 9))  # an ordinary Sunday
    # Accepted Friday Jan 24: 1 workday later is the makeup Sunday; 2 later is Monday Jan 27; 3 later Feb 5.
    assert cal.add_workdays(date(2025, 1, 24), 1) == date(2025, 1, 26)
    assert cal.add_workdays(date(2025, 1, 24), 2) == date(2025, 1, 27)
    assert cal.add_workdays(date(2025, 1, 24), 3) == date(2025, 2, 5)


def test_labour_day_2025_reform_adds_may_2(cal: WorkCalendar) -> None:
    assert [cal.is_workday(date(2025, 5, d)) for d in range(1, 6)] == [False] * 5
    assert cal.is_workday(date(2025, 4, 27))  # Sunday makeup
    assert cal.is_workday(date(2025, 5, 6))


def test_national_day_2024_and_2025(cal: WorkCalendar) -> None:
    assert cal.is_workday(date(2024, 9, 29)) and cal.is_workday(date(2024, 10, 12))
    assert not any(cal.is_workday(date(2024, 10, d)) for d in range(1, 8))
    # 2025: 国庆 and 中秋 together, Oct 1–8; Sep 28 (Sun) and Oct 11 (Sat) worked.
    assert not any(cal.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert cal.is_workday(date(2025, 9, 28)) and cal.is_workday(date(2025, 10, 11))
    assert cal.add_workdays(date(2025, 9, 30), 5) == date(2025, 10, 14)
    assert cal.workdays_between(date(2025, 9, 30), date(2025, 10, 14)) == 5


def test_2026_arrangements(cal: WorkCalendar) -> None:
    assert not cal.is_workday(date(2026, 1, 2))
    assert cal.is_workday(date(2026, 1, 4))  # Sunday makeup for 元旦
    assert not any(cal.is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert cal.is_workday(date(2026, 2, 14)) and cal.is_workday(date(2026, 2, 28))
    assert cal.is_workday(date(2026, 5, 9))
    assert not cal.is_workday(date(2026, 9, 25))  # 中秋 Friday
    assert cal.is_workday(date(2026, 9, 20)) and cal.is_workday(date(2026, 10, 10))


def test_crossing_the_year_boundary(cal: WorkCalendar) -> None:
    # Tue 2024-12-31 + 1: Jan 1 2025 is 元旦, so Thursday Jan 2.
    assert cal.add_workdays(date(2024, 12, 31), 1) == date(2025, 1, 2)
    # Wed 2025-12-31 + 1: Jan 1–3 2026 off, Sunday Jan 4 is a makeup workday.
    assert cal.add_workdays(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert cal.workdays_between(date(2025, 12, 31), date(2026, 1, 5)) == 2
    assert cal.add_workdays(date(2026, 1, 5), -2) == date(2025, 12, 31)
    assert cal.workdays_between(date(2026, 1, 5), date(2025, 12, 31)) == -2


def test_outside_known_years_is_an_error_not_a_guess(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarError, match="工作日历未包含 2028 年的节假日安排，请更新日历"):
        cal.is_workday(date(2028, 1, 4))
    with pytest.raises(CalendarError, match="2028"):
        cal.add_workdays(date(2027, 12, 28), 10)
    with pytest.raises(CalendarError, match="2023"):
        cal.add_workdays(date(2023, 12, 29), 1)
    with pytest.raises(CalendarError, match="2028"):
        cal.due_date(date(2027, 12, 30), TimeLimit(5, "day"))


def test_2027_is_provisional_with_the_statutory_days_and_their_makeup_rest(cal: WorkCalendar) -> None:
    """Until the 2027 notice is out, 2027 holds the days the law fixes (国务院令第795号) and the weekday rest owed
    for those falling on a weekend; no 调休. A deadline reaching into it says so."""
    year = cal.year(2027)
    assert year.provisional and year.notice == ""
    assert [cal.year(y).provisional for y in (2024, 2025, 2026)] == [False, False, False]
    off = {date(2027, 1, 1): "元旦", date(2027, 2, 5): "春节", date(2027, 2, 8): "春节", date(2027, 2, 9): "春节",
           date(2027, 2, 10): "春节", date(2027, 4, 5): "清明节", date(2027, 5, 3): "劳动节", date(2027, 5, 4): "劳动节",
           date(2027, 6, 9): "端午节", date(2027, 9, 15): "中秋节", date(2027, 10, 1): "国庆节", date(2027, 10, 5): "国庆节"}
    for day, name in off.items():
        assert day.weekday() < 5 and not cal.is_workday(day) and cal.holiday_name(day) == name, day
    assert cal.is_workday(date(2027, 2, 11)) and cal.is_workday(date(2027, 10, 6))
    assert not cal.is_workday(date(2027, 1, 2))  # an ordinary Saturday, no 调休 guessed
    # 30 working days from Monday 2026-11-23: December has 23, then Jan 1 (Fri) off → Tue 2027-01-05.
    assert cal.add_workdays(date(2026, 11, 23), 30) == date(2027, 1, 5)
    assert cal.provisional_years(date(2026, 11, 23), date(2027, 1, 5)) == (2027,)
    assert cal.provisional_years(date(2026, 1, 5), date(2026, 12, 31)) == ()


def test_due_date_units(cal: WorkCalendar) -> None:
    friday = date(2025, 3, 7)
    assert cal.due_date(friday, TimeLimit(3)) == date(2025, 3, 12)
    assert cal.due_date(friday, TimeLimit(0)) == friday  # 即办
    assert cal.due_date(date(2025, 3, 8), TimeLimit(0)) == date(2025, 3, 10)  # Saturday → Monday
    # Natural days: 30 days from Sep 2 is Oct 2 (holiday) → first working day after the holiday.
    assert cal.due_date(date(2025, 9, 2), TimeLimit(30, "day")) == date(2025, 10, 9)
    assert cal.due_date(date(2025, 3, 3), TimeLimit(7, "day")) == date(2025, 3, 10)
    # Hours: same working day, or the next one when accepted on a rest day.
    assert cal.due_date(friday, TimeLimit(2, "hour")) == friday
    assert cal.due_date(date(2025, 2, 1), TimeLimit(4, "hour")) == date(2025, 2, 5)
    assert cal.due_date(friday, TimeLimit(48, "hour")) == date(2025, 3, 10)
    with pytest.raises(CalendarError):
        cal.due_date(friday, TimeLimit(-1))


def test_override_file_replaces_a_year(tmp_path: Path) -> None:
    # A local correction: 2026 with an extra day off on Monday Mar 2 (e.g. a corrected notice).
    text = (REPO / "resources/calendar/2026.toml").read_text(encoding="utf-8")
    text += '\n[[holiday]]\nname = "测试更正"\nstart = 2026-03-02\nend = 2026-03-02\n'
    path = install_calendar_update(tmp_path, text, source="hub")
    assert path == tmp_path / "calendar" / "2026.toml"
    cal = default_calendar(tmp_path)
    assert not cal.is_workday(date(2026, 3, 2))
    assert cal.holiday_name(date(2026, 3, 2)) == "测试更正"
    assert cal.is_workday(date(2025, 3, 3))  # other years untouched


def test_the_2027_notice_replaces_the_provisional_year(tmp_path: Path) -> None:
    text = 'year = 2027\nnotice = "测试"\n[[holiday]]\nname = "元旦"\nstart = 2027-01-01\nend = 2027-01-03\n'
    install_calendar_update(tmp_path, text)
    cal = default_calendar(tmp_path)
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert not cal.year(2027).provisional and cal.is_workday(date(2027, 2, 9))  # the whole year is replaced


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("year = 2027\n", "缺少 [[holiday]]"),
        ('year = "x"\n', "year 应为年份数字"),
        ("year = 2027\n[[holiday]]\nstart = 2027-01-01\n", "缺少 name"),
        ('year = 2027\n[[holiday]]\nname = "春节"\nstart = 2027-02-10\nend = 2027-02-01\n', "早于 start"),
        ('year = 2027\n[[holiday]]\nname = "春节"\nstart = 2027-02-10\nend = 2027-03-30\n', "放假超过"),
        ('year = 2027\n[[holiday]]\nname = "春节"\nstart = "2027-02-30"\n', "日期不存在"),
        ('year = 2027\n[[holiday]]\nname = "春节"\nstart = 2027-02-10\nmakeup = [2027-02-03]\n', "不是周六或周日"),
        ('year = 2027\n[[holiday]]\nname = "a"\nstart = 2027-02-10\n[[holiday]]\nname = "b"\nstart = 2027-02-10\n', "重复"),
        ('year = 2027\n[[holiday]]\nname = "a"\nstart = 2031-02-10\n', "不在 2027 年前后"),
        ("year = = 2027", "格式错误"),
    ],
)
def test_bad_update_is_rejected_and_nothing_written(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(CalendarError, match=re.escape(reason)):
        install_calendar_update(tmp_path, text, source="2027.toml")
    assert not (tmp_path / "calendar").exists()


def test_load_calendar_merges_in_order() -> None:
    files = shipped_files()
    replacement = parse_calendar_text(
        'year = 2025\n[[holiday]]\nname = "只有元旦"\nstart = 2025-01-01\n', source="test"
    )
    cal = load_calendar([*files, replacement])
    assert cal.is_workday(date(2025, 1, 29))  # the replacement has no 春节
    assert not cal.is_workday(date(2024, 2, 12))


def test_cli_add_and_check(tmp_path: Path) -> None:
    env_args = ["--data-dir", str(tmp_path)]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", "workdays", *args, *env_args],
            capture_output=True, text=True, cwd=REPO, timeout=60,
        )

    out = run("add", "--from", "2025-01-24", "--days", "3")
    assert (out.returncode, out.stdout.strip()) == (0, "2025-02-05")
    out = run("add", "--from", "2027-12-28", "--days", "10")
    assert out.returncode == 1
    assert "工作日历未包含 2028 年的节假日安排，请更新日历" in out.stderr
    out = run("add", "--from", "2026-11-23", "--days", "30")
    assert (out.returncode, out.stdout.strip()) == (0, "2027-01-05")
    assert "2027 年的放假安排尚未公布" in out.stderr
    out = run("check", "2025-02-08", "2025-01-30")
    assert out.returncode == 0
    assert "调休上班日（春节）" in out.stdout and "法定节假日（春节）" in out.stdout
    out = run("add", "--from", "2025-02-30", "--days", "1")
    assert out.returncode == 1 and "--from" in out.stderr
    out = run("add", "--days", "1")
    assert out.returncode == 2


def test_default_calendar_reads_the_settings_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZC_DATA_DIR", str(tmp_path / "data"))
    clear_calendar_cache()
    assert default_calendar().years == (2024, 2025, 2026, 2027)
    assert default_calendar().year(2027).provisional
    text = 'year = 2027\n[[holiday]]\nname = "元旦"\nstart = 2027-01-01\n'
    install_calendar_update(tmp_path / "data", text)
    assert not default_calendar().year(2027).provisional
    assert not default_calendar().is_workday(date(2027, 1, 1))


@settings(max_examples=200, deadline=None)
# From mid-January: the backward step below lands a little before ``start`` when ``start`` is no workday, and from
# 2024-01-01 (元旦) that is 2023, outside the calendar — an error by design, not a counting mismatch.
@given(st.dates(min_value=date(2024, 1, 15), max_value=date(2026, 10, 31)), st.integers(min_value=0, max_value=40))
def test_add_and_count_agree(start: date, days: int) -> None:
    cal = default_calendar(REPO / "no-such-dir")
    end = cal.add_workdays(start, days)
    assert cal.workdays_between(start, end) == days
    if days:
        assert cal.is_workday(end)
        assert cal.add_workdays(end, -days) <= start
