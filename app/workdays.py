"""The official workday calendar: statutory holidays and 调休 makeup workdays, and deadline arithmetic on it.

Data are TOML files, one per year (``resources/calendar/<year>.toml``), plus updates dropped into
``<data_dir>/calendar/*.toml`` (by an admin or by sync from the hub). A later file for the same year replaces the
earlier one, so a corrected notice supersedes the shipped one. The file format is in ``docs/workdays.md``.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from app.errors import CalendarError
from app.paths import resource

if TYPE_CHECKING:
    from app.catalog.model import TimeLimit

SHIPPED_DIR = resource("calendar")
OVERRIDE_SUBDIR = "calendar"

DayKind = Literal["workday", "weekend", "holiday", "makeup"]
KIND_LABELS: dict[str, str] = {"workday": "工作日", "weekend": "休息日", "holiday": "法定节假日", "makeup": "调休上班日"}
WEEKDAY_LABELS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# A holiday period never runs longer than this; a longer one is a typo in the file.
_MAX_HOLIDAY_DAYS = 15
_ONE = timedelta(days=1)


@dataclass(frozen=True)
class Holiday:
    name: str
    start: date
    end: date  # inclusive
    makeup: tuple[date, ...] = ()  # 调休上班日 that belong to this holiday

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class CalendarYear:
    year: int
    notice: str  # e.g. 国办发明电〔2024〕12号
    title: str
    holidays: tuple[Holiday, ...]
    source: str  # the file (or hub message) it came from
    # True for a year whose notice is not out yet: only the statutory days of 《全国年节及纪念日放假办法》 and their
    # 补假, no 调休. Deadlines in it are shown as provisional; the notice's file replaces it.
    provisional: bool = False


@dataclass(frozen=True)
class DayInfo:
    day: date
    workday: bool
    kind: DayKind
    name: str | None  # the holiday a holiday or makeup day belongs to

    def label(self) -> str:
        text = f"{self.day.isoformat()} {WEEKDAY_LABELS[self.day.weekday()]}：{KIND_LABELS[self.kind]}"
        if self.name:
            text += f"（{self.name}）"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "weekday": WEEKDAY_LABELS[self.day.weekday()],
            "workday": self.workday,
            "kind": self.kind,
            "holiday": self.name,
        }


def _outside(year: int) -> CalendarError:
    return CalendarError(f"工作日历未包含 {year} 年的节假日安排，请更新日历", field="date")


class WorkCalendar:
    """Working days on the official calendar; every question about a year it does not know raises CalendarError."""

    def __init__(self, years: Mapping[int, CalendarYear]) -> None:
        self._years = dict(sorted(years.items()))
        self._holidays: dict[date, str] = {}
        self._makeups: dict[date, str] = {}
        # Years in order, so a holiday a notice places at the end of the previous year (元旦 on 31 Dec) wins.
        for entry in self._years.values():
            for holiday in entry.holidays:
                for day in holiday.days():
                    self._holidays[day] = holiday.name
                    self._makeups.pop(day, None)
                for day in holiday.makeup:
                    self._makeups[day] = holiday.name
                    self._holidays.pop(day, None)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self._years)

    def year(self, year: int) -> CalendarYear:
        try:
            return self._years[year]
        except KeyError:
            raise _outside(year) from None

    def provisional_years(self, start: date, end: date) -> tuple[int, ...]:
        """The years between ``start`` and ``end`` (inclusive) whose holidays are still provisional."""
        return tuple(y for y in range(start.year, end.year + 1) if y in self._years and self._years[y].provisional)

    def _check(self, day: date) -> None:
        if day.year not in self._years:
            raise _outside(day.year)

    def day_info(self, day: date) -> DayInfo:
        self._check(day)
        if day in self._makeups:
            return DayInfo(day, True, "makeup", self._makeups[day])
        if day in self._holidays:
            return DayInfo(day, False, "holiday", self._holidays[day])
        if day.weekday() >= 5:
            return DayInfo(day, False, "weekend", None)
        return DayInfo(day, True, "workday", None)

    def is_workday(self, day: date) -> bool:
        self._check(day)
        # 调休 Saturdays and Sundays are working days: check them before the weekend rule.
        if day in self._makeups:
            return True
        if day in self._holidays:
            return False
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        self._check(day)
        return self._holidays.get(day)

    def next_workday(self, day: date, *, inclusive: bool = True) -> date:
        """The first working day on or after ``day`` (after it when ``inclusive`` is false)."""
        current = day if inclusive else day + _ONE
        while not self.is_workday(current):
            current += _ONE
        return current

    def add_workdays(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (start itself not counted); negative counts go back."""
        step = _ONE if days >= 0 else -_ONE
        remaining = abs(days)
        current = start
        if remaining == 0:
            self._check(start)
        while remaining:
            current += step
            if self.is_workday(current):
                remaining -= 1
        return current

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: so ``workdays_between(a, add_workdays(a, n)) == n``; negative when b < a."""
        if b < a:
            return -self.workdays_between(b, a)
        self._check(a)
        count = 0
        current = a
        while current < b:
            current += _ONE
            if self.is_workday(current):
                count += 1
        return count

    def due_date(self, start: date, limit: TimeLimit) -> date:
        """The last day of a time limit counted from ``start`` (the day of acceptance).

        - workday: ``add_workdays``; 0 (即办) is ``start`` itself, or the next working day if ``start`` is not one.
        - day: natural days; a period whose last day is a holiday ends on the next working day (民法典 §203).
        - hour: due the same day when ``start`` is a working day, else the next one; every full 24 hours
          moves it a natural day further, again rolled to a working day.
        """
        if limit.amount < 0:
            raise CalendarError(f"办理时限不能为负数：{limit.amount}", field="time_limit")
        if limit.unit == "workday":
            if limit.amount == 0:
                return self.next_workday(start)
            return self.add_workdays(start, limit.amount)
        if limit.unit == "day":
            self._check(start)
            return self.next_workday(start + timedelta(days=limit.amount))
        if limit.unit == "hour":
            self._check(start)
            return self.next_workday(start + timedelta(days=limit.amount // 24))
        raise CalendarError(f"未知的时限单位：{limit.unit}", field="time_limit")


# ---- loading ---------------------------------------------------------------------------------------------


def _as_date(value: object, where: str) -> date:
    # TOML native dates parse to date; a quoted "2025-01-28" is accepted too because admins type those.
    if isinstance(value, _dt.datetime):
        raise CalendarError(f"{where} 应为日期（YYYY-MM-DD），不要带时间")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise CalendarError(f"{where} 日期不存在：{value}") from None
    raise CalendarError(f"{where} 应为日期（YYYY-MM-DD），得到 {value!r}")


def parse_calendar(raw: Mapping[str, object], *, source: str) -> CalendarYear:
    """Validate one year's data (already parsed TOML); CalendarError names the file and the field."""
    where = f"工作日历 {source}"
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2200:
        raise CalendarError(f"{where}：year 应为年份数字，得到 {year!r}")
    notice = raw.get("notice", "")
    title = raw.get("title", "")
    if not isinstance(notice, str) or not isinstance(title, str):
        raise CalendarError(f"{where}：notice 和 title 应为文本")
    provisional = raw.get("provisional", False)
    if not isinstance(provisional, bool):
        raise CalendarError(f"{where}：provisional 应为 true 或 false")
    items = raw.get("holiday", [])
    if not isinstance(items, list) or not items:
        raise CalendarError(f"{where}：缺少 [[holiday]] 节假日列表")
    holidays: list[Holiday] = []
    seen: dict[date, str] = {}
    for index, item in enumerate(items, start=1):
        at = f"{where}：第 {index} 个 holiday"
        if not isinstance(item, dict):
            raise CalendarError(f"{at} 应为一个表（[[holiday]]）")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CalendarError(f"{at} 缺少 name（节日名称）")
        at = f"{where}：{name}"
        start = _as_date(item.get("start"), f"{at} 的 start")
        end = _as_date(item.get("end", item.get("start")), f"{at} 的 end")
        if end < start:
            raise CalendarError(f"{at} 的 end（{end}）早于 start（{start}）")
        if (end - start).days + 1 > _MAX_HOLIDAY_DAYS:
            raise CalendarError(f"{at} 放假超过 {_MAX_HOLIDAY_DAYS} 天，请检查 start 和 end")
        raw_makeup = item.get("makeup", [])
        if not isinstance(raw_makeup, list):
            raise CalendarError(f"{at} 的 makeup 应为日期列表")
        makeup = tuple(_as_date(value, f"{at} 的 makeup") for value in raw_makeup)
        holiday = Holiday(name.strip(), start, end, makeup)
        for day in holiday.days() + list(makeup):
            if abs(day.year - year) > 1:
                raise CalendarError(f"{at} 的日期 {day} 不在 {year} 年前后")
            if day in seen:
                raise CalendarError(f"{at} 的日期 {day} 与 {seen[day]} 重复")
            seen[day] = name
        for day in makeup:
            # 调休 always moves a weekend day to work; a weekday here is a typo that would silently do nothing.
            if day.weekday() < 5:
                raise CalendarError(f"{at} 的调休上班日 {day} 不是周六或周日，请检查")
        holidays.append(holiday)
    return CalendarYear(year, notice, title, tuple(holidays), source, provisional)


def parse_calendar_text(text: str, *, source: str) -> CalendarYear:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError(f"工作日历 {source} 格式错误：{exc}") from None
    return parse_calendar(raw, source=source)


def read_calendar_file(path: Path) -> CalendarYear:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CalendarError(f"工作日历 {path} 不是 UTF-8 文本") from None
    except OSError as exc:
        raise CalendarError(f"无法读取工作日历 {path}：{exc.strerror}") from None
    return parse_calendar_text(text, source=str(path))


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.toml"))


def override_dir(data_dir: Path) -> Path:
    return Path(data_dir) / OVERRIDE_SUBDIR


def load_calendar(paths: Iterable[Path | CalendarYear]) -> WorkCalendar:
    """Merge files (or already parsed years) in order; a later one for the same year replaces the earlier."""
    years: dict[int, CalendarYear] = {}
    for item in paths:
        entry = item if isinstance(item, CalendarYear) else read_calendar_file(Path(item))
        years[entry.year] = entry
    if not years:
        raise CalendarError("没有可用的工作日历数据，请更新日历")
    return WorkCalendar(years)


_cache: dict[Path | None, WorkCalendar] = {}
_env_dirs: dict[tuple[str | None, str | None], Path | None] = {}


def _resolve_data_dir() -> Path | None:
    try:
        from app.settings import load_settings

        return load_settings().data_dir
    except Exception:  # a broken settings file must not hide the shipped calendar
        return None


def default_calendar(data_dir: Path | None = None) -> WorkCalendar:
    """The shipped years plus updates in ``<data_dir>/calendar`` (data_dir from the settings when omitted).

    Cached per data directory; call ``clear_calendar_cache()`` after installing an update.
    """
    if data_dir is None:
        # Resolving the settings reads a file; remember it per environment so hot paths stay cheap.
        env_key = (os.environ.get("ZC_DATA_DIR"), os.environ.get("ZC_CONFIG"))
        if env_key not in _env_dirs:
            _env_dirs[env_key] = _resolve_data_dir()
        key = _env_dirs[env_key]
    else:
        key = Path(data_dir)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    files: list[Path] = shipped_files()
    if key is not None and override_dir(key).is_dir():
        files += sorted(override_dir(key).glob("*.toml"))
    calendar = load_calendar(files)
    _cache[key] = calendar
    return calendar


def clear_calendar_cache() -> None:
    _cache.clear()
    _env_dirs.clear()


def install_calendar_update(data_dir: Path, text: str, *, source: str = "update") -> Path:
    """Validate a year's TOML (typed by an admin or sent by the hub) and store it durably as an override.

    Nothing is written when the text is invalid. Returns the written file.
    """
    from app.store.engine import fsync_file

    entry = parse_calendar_text(text, source=source)
    path = override_dir(data_dir) / f"{entry.year}.toml"
    fsync_file(path, text.encode("utf-8"))
    clear_calendar_cache()
    return path
