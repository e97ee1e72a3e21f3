"""``python -m app audit verify [--anchor N:HASH]…`` checks the audit entries' hash chain and names the first broken
entry; ``python -m app audit anchor`` queues the chain's head for the hub (the next sync sends it)."""

from __future__ import annotations

import argparse
import sys

from console import clock_from, print_json, store_from


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    verify = sub.add_parser("verify", help="校验审计记录的哈希链：有记录被改动、删除或插入时指出第一条",
                            description="校验审计记录的哈希链。完好退出码 0；发现断点退出码 1，并指出第一条有问题的记录。")
    verify.add_argument("--anchor", action="append", default=[], metavar="N:HASH",
                        help="枢纽保存的锚点（python -m sync.server audit anchors 列出）：第 N 条记录应有此哈希；可重复")
    verify.set_defaults(handler=_verify)
    anchor = sub.add_parser("anchor", help="把审计链的当前链尾排入待发送，由同步送到枢纽保存（窗口程序每天启动时自动做）")
    anchor.set_defaults(handler=_anchor)


def _verify(args: argparse.Namespace) -> int:
    from app.store.audit_chain import parse_anchor, verify

    anchors = [parse_anchor(a) for a in args.anchor]
    store = store_from(args)
    try:
        with store.read() as session:
            report = verify(session, anchors)
    finally:
        store.dispose()
    if args.json:
        print_json(report.to_json())
    elif report.broken is None:
        sys.stdout.write(f"审计记录完好：共 {report.checked} 条，链尾哈希 {report.head or '（无记录）'}\n"
                         "末尾的记录被删除时链本身看不出：窗口程序每天把链尾送到枢纽保存，"
                         "请用 --anchor 条数:哈希（枢纽 audit anchors 列出）核对。\n")
    else:
        sys.stderr.write(f"审计记录被篡改：{report.broken.describe()}。此前 {report.checked} 条完好。\n"
                         "请保留现场（不要再修改数据库），联系管理员用备份核对。\n")
    return 0 if report.broken is None else 1


def _anchor(args: argparse.Namespace) -> int:
    from app.store.audit_chain import anchor

    store = store_from(args)
    try:
        with store.write() as session:
            row = anchor(session, at=clock_from(args).now())
            payload = dict(row.payload) if row is not None else None
    finally:
        store.dispose()
    if payload is None:
        sys.stdout.write("还没有审计记录，无需锚定\n")
    elif args.json:
        print_json(payload)
    else:
        sys.stdout.write(f"已排入待发送：第 {payload['count']} 条记录的哈希 {payload['head']}（下次同步送到枢纽）\n")
    return 0
