"""``python -m app workdays add|check``: working-day arithmetic on the official holiday calendar."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import CalendarError, ValidationError
from console import print_json, settings_from

if TYPE_CHECKING:
    from app.workdays import WorkCalendar


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    add = sub.add_parser("add", help="计算某日之后第 N 个工作日（当日不计）")
    add.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="起算日（受理日）")
    add.add_argument("--days", type=int, required=True, metavar="N", help="工作日数，可为负数（向前推）")
    add.set_defaults(handler=_add)

    check = sub.add_parser("check", help="某日是否工作日、属于哪个节假日")
    check.add_argument("dates", nargs="+", metavar="YYYY-MM-DD")
    check.set_defaults(handler=_check)

    years = sub.add_parser("years", help="列出日历包含的年份与依据的通知")
    years.set_defaults(handler=_years)


def _parse_date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{name} 应为日期 YYYY-MM-DD，得到 {text!r}", field=name) from None


def _calendar(args: argparse.Namespace) -> WorkCalendar:
    from app.workdays import default_calendar

    data_dir: Path = settings_from(args).data_dir
    return default_calendar(data_dir)


def _add(args: argparse.Namespace) -> int:
    start = _parse_date(args.start, "--from")
    calendar = _calendar(args)
    result = calendar.add_workdays(start, args.days)
    unsettled = calendar.provisional_years(start, result)
    if args.json:
        print_json({"from": start.isoformat(), "days": args.days, "date": result.isoformat(),
                    "day": calendar.day_info(result).to_json(), "provisional_years": list(unsettled)})
    else:
        print(result.isoformat())
        if unsettled:
            years = "、".join(str(y) for y in unsettled)
            print(f"注意：{years} 年的放假安排尚未公布，此日期暂按法定节假日推算", file=sys.stderr)
    return 0


def _check(args: argparse.Namespace) -> int:
    calendar = _calendar(args)
    days = [_parse_date(text, "日期") for text in args.dates]
    failed = False
    for day in days:
        try:
            info = calendar.day_info(day)
        except CalendarError as exc:
            failed = True
            if args.json:
                print_json({"date": day.isoformat(), "error": exc.message})
            else:
                print(f"{day.isoformat()}：{exc.message}")
            continue
        print_json(info.to_json()) if args.json else print(info.label())
    return 1 if failed else 0


def _years(args: argparse.Namespace) -> int:
    calendar = _calendar(args)
    rows = [calendar.year(y) for y in calendar.years]
    if args.json:
        for row in rows:
            print_json({"year": row.year, "notice": row.notice, "title": row.title, "source": row.source,
                        "provisional": row.provisional})
    else:
        for row in rows:
            print(f"{row.year} 年：{row.title}" + (f"（{row.notice}）" if row.notice else "")
                  + ("【暂定】" if row.provisional else ""))
    return 0
