"""``python -m app id check|read``: validate ID numbers, or read one from a card reader."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from console import print_json, settings_from

if TYPE_CHECKING:
    from app.identity import IdCheck


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser(
        "check",
        help="校验证件号码（居民身份证、港澳台居民居住证、外国人永久居留身份证、统一社会信用代码）",
        description="全部有效时退出码为 0，有任何无效号码时为 1。",
    )
    check.add_argument("numbers", nargs="+", metavar="NUMBER", help="证件号码，可以写多个")
    check.set_defaults(handler=_check)

    read = sub.add_parser("read", help="从身份证阅读器读取一张证件")
    read.add_argument("--port", required=True, help="串口，例如 /dev/ttyUSB0 或 COM3")
    read.add_argument("--baud", type=int, default=115200, help="波特率（默认 115200）")
    read.add_argument("--timeout", type=float, default=5.0, metavar="S", help="等待放卡的秒数（默认 5）")
    read.set_defaults(handler=_read)


def _describe(result: IdCheck) -> str:
    if result.valid:
        parts = [f"{result.normalized}：有效，{result.kind_label}"]
        if result.birth_date:
            parts.append(f"出生日期 {result.birth_date.isoformat()}")
        if result.gender:
            parts.append(result.gender)
        if result.region_name:
            parts.append(result.region_name)
        if result.organisation_type:
            parts.append(result.organisation_type)
        line = "，".join(parts)
    else:
        shown = result.normalized or result.input or "（空）"
        line = f"{shown}：无效，" + "；".join(result.errors)
    if result.warnings:
        line += "。提示：" + "；".join(result.warnings)
    return line


def _check(args: argparse.Namespace) -> int:
    from app.identity import check_id

    today = settings_from(args).hall_clock().today()
    all_valid = True
    for number in args.numbers:
        result = check_id(number, today=today)
        all_valid = all_valid and result.valid
        if args.json:
            print_json(result.to_json())
        else:
            print(_describe(result))
    return 0 if all_valid else 1


def _read(args: argparse.Namespace) -> int:
    # The reader protocol lives with the devices; imported only when asked so `id check` stays light.
    from app.devices.reader_cli import run_read

    return int(run_read(args, today=settings_from(args).hall_clock().today))
