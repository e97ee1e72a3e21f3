"""``python -m app audit verify``: check the audit entries' hash chain and name the first broken entry."""

from __future__ import annotations

import argparse
import sys

from console import print_json, store_from


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    verify = sub.add_parser("verify", help="校验审计记录的哈希链：有记录被改动、删除或插入时指出第一条",
                            description="校验审计记录的哈希链。完好退出码 0；发现断点退出码 1，并指出第一条有问题的记录。")
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from app.store.audit_chain import verify

    store = store_from(args)
    try:
        with store.read() as session:
            report = verify(session)
    finally:
        store.dispose()
    if args.json:
        print_json(report.to_json())
    elif report.broken is None:
        sys.stdout.write(f"审计记录完好：共 {report.checked} 条，链尾哈希 {report.head or '（无记录）'}\n"
                         "请把链尾哈希记下（或与上次记下的比对）：末尾的记录被删除时，只有它能看出来。\n")
    else:
        sys.stderr.write(f"审计记录被篡改：{report.broken.describe()}。此前 {report.checked} 条完好。\n"
                         "请保留现场（不要再修改数据库），联系管理员用备份核对。\n")
    return 0 if report.broken is None else 1
