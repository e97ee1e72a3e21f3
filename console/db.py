"""``python -m app db …``: the store's schema, integrity and backups.

  python -m app db upgrade                  # bring the store to the newest schema
  python -m app db check                    # PRAGMA quick_check (SQLite)
  python -m app db backup [--to FILE] [--keep N]
  python -m app db backups                  # list the backups, newest first, with their check
  python -m app db restore FILE             # the damaged file is renamed and kept, the backup copied in
  python -m app db sweep [--dry-run] [--keep-days N]   # files no row names → quarantine, kept N days
  python -m app db retention [--dry-run] [--years N]   # mask personal data of cases closed N years ago
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from console import clock_from, print_json, settings_from

if TYPE_CHECKING:
    from app.store.engine import Store


def register(parser: argparse.ArgumentParser, group: str) -> None:
    from app.store.backup import DEFAULT_KEEP

    sub = parser.add_subparsers(dest="command")
    if group == "key":
        rotate = sub.add_parser("rotate", help="换一把新的数据密钥，重新加密所有证件号码与电话（先关闭所有窗口程序）")
        rotate.add_argument("--json", action="store_true")
        rotate.set_defaults(handler=_key_rotate)
        return
    up = sub.add_parser("upgrade", help="升级数据库结构到最新版本")
    up.set_defaults(handler=_upgrade)
    check = sub.add_parser("check", help="检查数据库文件是否完好（SQLite quick_check）")
    check.set_defaults(handler=_check)
    backup = sub.add_parser("backup", help="在线备份数据库（程序运行时也可备份）")
    backup.add_argument("--to", type=Path, metavar="FILE", help="备份到指定文件（默认：数据库旁的 backups 目录）")
    backup.add_argument("--keep", type=int, default=DEFAULT_KEEP, metavar="N",
                        help=f"backups 目录中保留最新的 N 份（默认 {DEFAULT_KEEP}）")
    backup.set_defaults(handler=_backup)
    listing = sub.add_parser("backups", help="列出备份（最新的在前）及其检查结果")
    listing.set_defaults(handler=_backups)
    restore = sub.add_parser("restore", help="用备份替换数据库（先关闭所有窗口程序；原文件改名保留）")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(handler=_restore)
    sweep = sub.add_parser("sweep", help="把没有办件引用的文件移入隔离区（保留若干天后删除）")
    sweep.add_argument("--dry-run", action="store_true", help="只列出，不移动")
    sweep.add_argument("--keep-days", type=int, default=30, metavar="N", help="隔离区保留天数（默认 30）")
    sweep.set_defaults(handler=_sweep)
    retention = sub.add_parser("retention", help="对办结超过保存期限的办件，屏蔽申请人个人信息并删除扫描件")
    retention.add_argument("--dry-run", action="store_true", help="只列出，不修改")
    retention.add_argument("--years", type=int, default=None, metavar="N",
                           help="保存期限（年；默认取设置 hall.retention_years）")
    retention.set_defaults(handler=_retention)


def _key_rotate(args: argparse.Namespace) -> int:
    from app.store import open_store
    from app.store.models import Base
    from app.store.rekey import rotate

    settings = settings_from(args)
    store = open_store(settings.db_url, key_file=settings.key_file)
    try:
        report = rotate(store, Base, record_table="data_key", at=clock_from(args).now())
    finally:
        store.dispose()
    if args.json:
        print_json(report.to_json())
    else:
        print(f"数据密钥已轮换：{report.old} → {report.new}，重新加密 {report.values} 个值，重算 {report.indexes} 个检索索引。"
              f"旧密钥仍保留在 {settings.key_file} 中，用于打开轮换前的备份；请把新的密钥文件另行备份")
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from app.store import open_store
    from app.store.migrate import current_revision

    settings = settings_from(args)
    store = open_store(settings.db_url, key_file=settings.key_file)
    revision = current_revision(store)
    if args.json:
        print_json({"url": store.engine.url.render_as_string(hide_password=True), "revision": revision})
    else:
        print(f"数据库已是最新结构（版本 {revision}）：{store.engine.url.render_as_string(hide_password=True)}")
    return 0


def _raw_store(args: argparse.Namespace) -> Store:
    """The store the settings name, opened without the integrity check or migrations (to check or back it up)."""
    from app.store.engine import Store

    return Store(settings_from(args).db_url)


def _check(args: argparse.Namespace) -> int:
    from app.store.backup import check_integrity, db_path

    store = _raw_store(args)
    try:
        path = db_path(store)
        check_integrity(store)
    finally:
        store.dispose()
    print_json({"path": str(path), "ok": True}) if args.json else print(f"数据库完好：{path}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from app.store.backup import backup

    store = _raw_store(args)
    try:
        done = backup(store, clock=clock_from(args), keep=args.keep, to=args.to)
    finally:
        store.dispose()
    print_json({"path": str(done.path)}) if args.json else print(f"已备份：{done.label()}")
    return 0


def _backups(args: argparse.Namespace) -> int:
    from app.store.backup import db_path, list_backups, quick_check_file

    store = _raw_store(args)
    try:
        path = db_path(store)
    finally:
        store.dispose()
    rows = [{"path": str(b.path), "taken_at": f"{b.taken_at:%Y-%m-%d %H:%M:%S}", "check": quick_check_file(b.path)}
            for b in list_backups(path)]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['taken_at']}\t{'完好' if r['check'] == 'ok' else '已损坏'}\t{r['path']}")
        print(f"共 {len(rows)} 份备份")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from app.store.backup import db_path, restore

    store = _raw_store(args)
    try:
        path = db_path(store)
    finally:
        store.dispose()
    aside = restore(path, args.file, clock=clock_from(args))
    message = f"已用 {args.file} 恢复数据库 {path}；原文件保留为 {aside}。请补录备份之后受理的办件。"
    print_json({"path": str(path), "damaged_kept_as": str(aside)}) if args.json else sys.stdout.write(message + "\n")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from app.orphans import quarantine_dir, sweep_files
    from app.store import open_store

    settings = settings_from(args)
    store = open_store(settings.db_url, key_file=settings.key_file)
    try:
        report = sweep_files(store, settings.files_dir, clock=settings.hall_clock(), keep_days=args.keep_days,
                             dry_run=args.dry_run)
    finally:
        store.dispose()
    if args.json:
        print_json({**report.to_json(), "dry_run": args.dry_run, "files": report.quarantined})
        return 0
    verb = "将移入" if args.dry_run else "已移入"
    print(f"检查 {report.scanned} 个文件：{report.referenced} 个有办件引用，{report.too_young} 个太新（可能正在受理）未动；"
          f"{verb}隔离区 {len(report.quarantined)} 个（{quarantine_dir(settings.files_dir)}）")
    for rel in report.quarantined:
        print(f"  {rel}")
    if report.purged_days:
        print(f"删除超过 {args.keep_days} 天的隔离：{', '.join(report.purged_days)}")
    return 0


def _retention(args: argparse.Namespace) -> int:
    from app.retention import mask_expired_cases
    from app.store import open_store

    settings = settings_from(args)
    years = args.years if args.years is not None else settings.hall.retention_years
    store = open_store(settings.db_url, key_file=settings.key_file)
    try:
        report = mask_expired_cases(store, files_dir=settings.files_dir, clock=settings.hall_clock(), years=years,
                                    dry_run=args.dry_run)
    finally:
        store.dispose()
    if args.json:
        print_json({**report.to_json(), "dry_run": args.dry_run})
        return 0
    verb = "将屏蔽" if args.dry_run else "已屏蔽"
    print(f"{report.cutoff} 之前办结的办件：{verb}个人信息 {len(report.cases)} 件，删除扫描件 {report.files_deleted} 个")
    return 0
