"""``python -m app id read``: read the card on a GA/T 467 reader and print it (JSON with ``--json``).

The identity group registers the subcommand with :func:`add_read_arguments` and :func:`run_read`;
``python -m app.devices.reader_cli`` runs the same thing on its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import date

from app.devices.gat467 import IdCard
from app.devices.reader import DEFAULT_BAUD, open_reader
from app.errors import DeviceError

DEFAULT_WAIT = 5.0

_LABELS = [
    ("card_type_label", "证件类型"), ("name", "姓名"), ("english_name", "英文姓名"), ("gender", "性别"),
    ("nation", "民族"), ("nationality_code", "国籍代码"), ("birth_date", "出生日期"), ("address", "住址"),
    ("id_number", "证件号码"), ("permit_number", "通行证号码"), ("issue_count", "签发次数"),
    ("authority", "签发机关"), ("valid_from", "有效期起"), ("valid_to", "有效期止"),
]  # fmt: skip


def add_read_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", required=True, help="读卡器串口，如 /dev/ttyUSB0、COM3 或 pyserial 地址")
    parser.add_argument("--baud", type=int, default=DEFAULT_BAUD, help=f"波特率（默认 {DEFAULT_BAUD}）")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_WAIT, help=f"等待放卡与读卡的总秒数（默认 {DEFAULT_WAIT:g}）"
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON")


def read_one(port: str, *, baud: int, timeout: float, today: Callable[[], date]) -> IdCard:
    """Wait up to ``timeout`` seconds for a card on the reader and read it (its number checked against ``today``)."""
    if timeout <= 0:
        raise DeviceError(f"等待时间无效：{timeout:g}，应大于 0", field="timeout")
    deadline = time.monotonic() + timeout
    with open_reader(port, today=today, baud=baud, timeout=min(timeout, 2.0)) as reader:
        while True:
            card = reader.read_card()
            if card is not None:
                return card
            if time.monotonic() >= deadline:
                raise DeviceError("读卡器上没有证件，请把证件放在读卡区后重试")
            time.sleep(0.2)  # a CLI waiting for a card; no GUI thread here


def run_read(args: argparse.Namespace, *, today: Callable[[], date]) -> int:
    try:
        card = read_one(args.port, baud=args.baud, timeout=args.timeout, today=today)
    except DeviceError as exc:
        sys.stderr.write(f"错误：{exc.message}\n")
        return 1
    data = card.to_json()
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        for key, label in _LABELS:
            if data.get(key):
                sys.stdout.write(f"{label}：{data[key]}\n")
    if data.get("id_valid") is False:
        # The chip's number failing its own check digit means a damaged or forged card: say so loudly.
        sys.stderr.write(
            "警告：证件号码未通过校验：" + "；".join(data.get("id_errors") or ["原因未知"]) + "\n"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.devices.reader_cli", description="读取身份证读卡器上的证件"
    )
    add_read_arguments(parser)
    from app.settings import load_settings

    return run_read(parser.parse_args(argv), today=load_settings().hall_clock().today)


if __name__ == "__main__":
    raise SystemExit(main())
