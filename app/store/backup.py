"""Integrity checks and backups of a SQLite store (a point's ``counter.db``).

- ``quick_check`` at every open and before an upgrade: a partly corrupt file is refused at start with a Chinese
  message that names the newest backup that passes the same check, and the command that restores it — not
  discovered at the first write of the day.
- ``backup``: SQLite's online backup API (consistent while the counter runs; WAL content included) into
  ``<db dir>/backups/counter-YYYYMMDD-HHMMSS.db`` (0600, in a 0700 directory), written under a temporary name,
  checked, fsynced, then renamed, so a half-written backup is never offered.
- once a hall day at the screen's start (``app.upkeep``), the newest ``keep`` kept.
- ``restore``: the damaged file (and its -wal/-shm) is moved aside, never deleted, and the backup copied in.

PostgreSQL (a hall's shared store) is backed up by the database server's tools: docs/security.md gives the
``pg_dump`` lines; the functions here refuse it with that advice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.clock import HallClock
from app.errors import StoreError
from app.private import private_dir, private_file
from app.store.engine import Store, _sqlite_path

DEFAULT_KEEP = 14  # daily backups kept (two weeks); ``db backup --keep N`` and [store] in docs/security.md
PREFIX = "counter-"
PG_ADVICE = ("PostgreSQL 数据库请用数据库服务器的工具备份：pg_dump -Fc -f counter-YYYYMMDD.dump <库名>，"
             "恢复：pg_restore --clean -d <库名> counter-YYYYMMDD.dump（详见 docs/security.md）")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime  # hall-local wall time from the name

    def label(self) -> str:
        return f"{self.path}（{self.taken_at:%Y-%m-%d %H:%M}）"


class DamagedStoreError(StoreError):
    """A SQLite store that fails ``quick_check``. Carries the file and the newest good backup, so the screen's
    start can offer to restore that backup with one click (``ui.application``), not only name the command."""

    def __init__(self, message: str, *, db: Path, good: Backup | None) -> None:
        super().__init__(message)
        self.db = db
        self.good = good


def db_path(store: Store) -> Path:
    path = _sqlite_path(store.url)
    if path is None:
        raise StoreError(PG_ADVICE if store.dialect == "postgresql" else "内存数据库无法备份")
    return path


def backups_dir(db: Path) -> Path:
    return db.parent / "backups"


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True, timeout=15)
    try:
        yield conn
    finally:
        conn.close()


def quick_check_file(path: Path) -> str:
    """"ok", or the first problem SQLite's ``PRAGMA quick_check`` reports (an unreadable file included)."""
    try:
        with _connect(path) as conn:
            rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    problems = [str(r[0]) for r in rows if r and r[0] != "ok"]
    return "; ".join(problems) if problems else "ok"


def list_backups(db: Path) -> list[Backup]:
    """Backups of ``db``, newest first."""
    found = []
    directory = backups_dir(db)
    for path in directory.glob(f"{PREFIX}*.db") if directory.is_dir() else ():
        try:
            taken = dt.datetime.strptime(path.stem[len(PREFIX):], "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        found.append(Backup(path, taken))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def latest_good_backup(db: Path) -> Backup | None:
    return next((b for b in list_backups(db) if quick_check_file(b.path) == "ok"), None)


def check_integrity(store: Store) -> None:
    """Refuse a SQLite store that fails ``quick_check``, offering the newest good backup. No-op for PostgreSQL
    (the server checks its pages) and for a database that does not exist yet."""
    path = _sqlite_path(store.url)
    if path is None or not path.exists() or path.stat().st_size == 0:
        return
    problem = quick_check_file(path)
    if problem == "ok":
        return
    good = latest_good_backup(path)
    offer = (f"最近一份完好的备份：{good.label()}。请关闭所有窗口程序后执行 python -m app db restore \"{good.path}\" 恢复"
             "（损坏的文件会被改名保留，不会删除），再补录备份之后受理的办件。" if good is not None else
             "没有找到可用的备份（backups 目录为空或备份也已损坏）。请勿继续使用，联系管理员处理。")
    raise DamagedStoreError(f"数据库文件已损坏，为防止数据进一步损坏，程序不再打开它（{path}；检查结果：{problem[:200]}）。"
                            f"{offer}", db=path, good=good)


def _copy_into(tmp: Path, src: sqlite3.Connection) -> None:
    """Copy the database ``src`` is connected to into a new 0600 file ``tmp`` with SQLite's online backup API
    (consistent while others write; the WAL's content included), then close both connections. The one copy
    routine of ``backup`` and ``restore``."""
    tmp.unlink(missing_ok=True)
    private_file(tmp, create=True)
    try:
        dst = sqlite3.connect(tmp.as_posix())
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _fsync_rename(tmp: Path, target: Path) -> None:
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def backup(store: Store, *, clock: HallClock, keep: int = DEFAULT_KEEP, to: Path | None = None) -> Backup:
    """Take a consistent copy with the online backup API (the counter may keep working meanwhile)."""
    source = db_path(store)
    if not source.exists():
        raise StoreError(f"数据库文件不存在：{source}")
    taken = clock.local_now().replace(tzinfo=None, microsecond=0)
    if to is None:
        directory = private_dir(backups_dir(source), tighten=True)
        target = directory / f"{PREFIX}{taken:%Y%m%d-%H%M%S}.db"
    else:
        target = to
        private_dir(target.parent)
    tmp = target.with_name(target.name + ".part")
    try:
        _copy_into(tmp, sqlite3.connect(source.as_posix(), timeout=15))
        problem = quick_check_file(tmp)
        if problem != "ok":
            raise StoreError(f"备份未通过完整性检查（{problem[:200]}）：数据库可能已损坏，请联系管理员")
        _fsync_rename(tmp, target)
    except sqlite3.Error as exc:
        raise StoreError(f"备份失败：{exc}（{source}）") from exc
    except OSError as exc:
        raise StoreError(f"无法写入备份 {target}：{exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    if to is None:
        for old in list_backups(source)[max(keep, 1):]:
            old.path.unlink(missing_ok=True)
    return Backup(target, taken)


def restore(db: Path, source: Path, *, clock: HallClock) -> Path:
    """Put ``source`` (a backup) in place of ``db``; the file it replaces is renamed ``<db>.damaged-<time>`` and
    kept. Every program using the store must be closed first. Returns where the old file went."""
    problem = quick_check_file(source) if source.exists() else "文件不存在"
    if problem != "ok":
        raise StoreError(f"该备份不可用（{source}：{problem[:200]}），请选择另一份备份")
    with _connect(source) as conn:
        has_schema = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone() is not None
    if not has_schema:
        raise StoreError(f"{source} 不是本程序的数据库备份")
    stamp = f"{clock.local_now():%Y%m%d-%H%M%S}"
    aside = db.with_name(f"{db.name}.damaged-{stamp}")
    private_dir(db.parent)
    if db.exists():
        os.replace(db, aside)
    for side in ("-wal", "-shm"):
        extra = db.with_name(db.name + side)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + side))
    tmp = db.with_name(db.name + ".restoring")
    try:
        _copy_into(tmp, sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True))
        _fsync_rename(tmp, db)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"恢复失败：{exc}；原文件保留为 {aside}") from exc
    return aside
