"""``python -m app report …``: the day's counts for supervisors, and 差评 follow-ups, without a screen.

  python -m app report daily --date YYYY-MM-DD [--to YYYY-MM-DD] [--hall CODE] [--xlsx FILE | --csv FILE | --pdf FILE] [--json]
  python -m app report follow-ups [--open] [--json]
  python -m app report follow-up RATING_ID --note TEXT --by NAME
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from console import clock_from, print_json, store_from


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，得到 {text!r}") from None


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("daily", help="某天或某段时间的统计（取号、等候、办件、按时办结、评价）",
                       description="某天或某段时间的统计。不给输出选项时打印文字表格。")
    p.add_argument("--date", required=True, type=_date, metavar="YYYY-MM-DD", help="统计日期（区间的第一天）")
    p.add_argument("--to", type=_date, metavar="YYYY-MM-DD", help="区间的最后一天（含）")
    p.add_argument("--hall", metavar="CODE", help="只统计该大厅（默认：数据库中的全部大厅）")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--xlsx", metavar="FILE", type=Path, help="导出 Excel 文件")
    out.add_argument("--csv", metavar="FILE", type=Path, help="导出 CSV 文件（UTF-8，带 BOM）")
    out.add_argument("--pdf", metavar="FILE", type=Path, help="导出 PDF 文件")
    p.set_defaults(handler=_daily)

    p = sub.add_parser("follow-ups", help="差评回访清单")
    p.add_argument("--open", action="store_true", help="只列待回访的")
    p.add_argument("--hall", metavar="CODE")
    p.set_defaults(handler=_follow_ups)

    p = sub.add_parser("follow-up", help="登记差评回访情况")
    p.add_argument("rating_id", type=int, metavar="RATING_ID")
    p.add_argument("--note", required=True, help="整改措施与申请人意见")
    p.add_argument("--by", required=True, help="回访人")
    p.set_defaults(handler=_follow_up)


def _daily(args: argparse.Namespace) -> int:
    from app.reports.daily import daily_report
    from printing.report import write_report

    store = store_from(args)
    try:
        with store.read() as session:
            report = daily_report(session, start=args.date, end=args.to, hall_code=args.hall,
                                  clock=clock_from(args))
    finally:
        store.dispose()
    if args.xlsx or args.csv or args.pdf:
        kind = "xlsx" if args.xlsx else "csv" if args.csv else "pdf"
        path = write_report(report, args.xlsx or args.csv or args.pdf, kind)
        print_json({"path": str(path)}) if args.json else sys.stdout.write(f"已导出：{path}\n")
    elif args.json:
        print_json(report.to_json())
    else:
        sys.stdout.write(f"{report.hall_name}  {report.period_label}\n")
        for label, value, _drill in report.summary():
            sys.stdout.write(f"  {label}：{value}\n")
        for title, rows in (("按受理结果", report.by_decision), ("按窗口", report.by_window),
                            ("按人员", report.by_clerk)):
            if rows:
                sys.stdout.write(f"{title}\n" + "".join(f"  {r.label}：{r.count}\n" for r in rows))
        from app.reports.export import FIGURE_HEADER, _figures

        for title, figures in (("人员绩效", report.staff.clerks), ("窗口绩效", report.staff.windows)):
            if figures:
                sys.stdout.write(f"{title}（{'、'.join(FIGURE_HEADER)}）\n")
                sys.stdout.write("".join("  " + "  ".join(str(v) for v in _figures(r)) + "\n" for r in figures))
    return 0


def _follow_ups(args: argparse.Namespace) -> int:
    from app.ratings import FOLLOW_UP_STATES, list_follow_ups

    store = store_from(args)
    clock = clock_from(args)
    today = clock.today()
    try:
        with store.read() as session:
            items = list_follow_ups(session, hall_code=args.hall, state="open" if args.open else None)
    finally:
        store.dispose()
    if args.json:
        print_json([dict(r.to_json(clock), overdue=r.overdue(today)) for r in items])
        return 0
    if not items:
        sys.stdout.write("没有差评回访记录\n")
    for r in items:
        late = "（已逾期）" if r.overdue(today) else ""
        sys.stdout.write(f"#{r.id} {r.case_no or r.ticket_code} {r.level_label} {r.window_number} 号窗口 "
                         f"期限 {r.follow_up_due} {FOLLOW_UP_STATES.get(r.follow_up_state, '')}{late}\n")
    return 0


def _follow_up(args: argparse.Namespace) -> int:
    from app.ratings import record_follow_up

    store = store_from(args)
    clock = clock_from(args)
    try:
        view = record_follow_up(store, args.rating_id, note=args.note, by=args.by, clock=clock)
    finally:
        store.dispose()
    if args.json:
        print_json(view.to_json(clock))
    else:
        sys.stdout.write(f"已登记回访：评价 #{view.id}（{view.case_no or view.ticket_code}）\n")
    return 0
