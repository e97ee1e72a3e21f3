"""``python -m app assist add|list``: 帮办代办 help records from the command line (app.assist)."""

from __future__ import annotations

import argparse
import dataclasses

from console import hall_from, print_json, settings_from
from console.case import optional_date


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    add = sub.add_parser("add", help="登记一次帮办代办：谁帮办、哪个事项或办件、帮办还是代办")
    add.add_argument("--helper", required=True, help="帮办人姓名（窗口人员或帮办员）")
    add.add_argument("--mode", required=True, choices=("assisted", "on_behalf"),
                     help="assisted 帮办（协助申请人本人办理）；on_behalf 代办（受托全程代办，须填 --case）")
    add.add_argument("--case", default="", help="受理编号：代办必填，委托信息取自该办件受理时的登记")
    add.add_argument("--matter", default="", help="没有办件时：所帮办的事项名称")
    add.add_argument("--applicant", default="", help="没有办件时：申请人姓名")
    add.add_argument("--note", default="", help="备注，如 帮助填写申请表、网上申报")
    add.add_argument("--window", type=int, default=0, help="窗口号（默认取设置 hall.window）")
    add.add_argument("--hall", help="大厅编码，默认取设置 hall.code")
    add.set_defaults(handler=_add)

    listing = sub.add_parser("list", help="列出帮办代办记录")
    listing.add_argument("--date", help="日期 YYYY-MM-DD（默认今天）")
    listing.add_argument("--to", help="截止日期 YYYY-MM-DD（默认同 --date）")
    listing.add_argument("--hall", help="大厅编码，默认全部")
    listing.set_defaults(handler=_list)


def _add(args: argparse.Namespace) -> int:
    from app.assist import HelpInput, record_help
    from app.store import open_store

    settings = settings_from(args)
    store = open_store(settings.db_url)
    hall = hall_from(args, settings, store)
    view = record_help(store, HelpInput(
        hall_code=hall, helper=args.helper, mode=args.mode, case_no=args.case, matter_name=args.matter,
        applicant_name=args.applicant, note=args.note, window_number=args.window or settings.hall.window,
        actor="cli"), clock=settings.hall_clock())
    if args.json:
        print_json(dataclasses.asdict(view))
        return 0
    target = view.case_no or view.matter_name
    agent = f"，代办人 {view.agent_name}" if view.agent_name else ""
    print(f"已登记{view.mode_label}：{view.helper} 帮办 {target}{agent}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from app.assist import list_help
    from app.store import open_store

    settings = settings_from(args)
    clock = settings.hall_clock()
    start = optional_date(args.date, "date") or clock.today()
    end = optional_date(args.to, "to") or start
    store = open_store(settings.db_url)
    with store.read() as session:
        rows = list_help(session, hall_code=args.hall, start=start, end=end)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    if not rows:
        print("没有帮办代办记录")
        return 0
    for r in rows:
        at = clock.local(r.at)
        print(f"{at:%m-%d %H:%M}  {r.mode_label:<10} {r.helper:<6} {r.case_no or '—':<24} {r.matter_name}")
    print(f"共 {len(rows)} 条")
    return 0
