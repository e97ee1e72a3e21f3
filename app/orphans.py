"""Files no row points at: swept into a quarantine, kept there ``keep_days``, then deleted.

An accept writes and fsyncs its scans *before* the transaction that names them commits (so a committed case
never lacks a file); a process killed in between leaves files without a row. They are personal data and must
not pile up unseen. A file is only an orphan once it is older than the longest an accept can take
(:data:`LONGEST_ACCEPT`): a younger one may belong to an accept still in flight. Orphans are moved, not
deleted, into ``<data_dir>/quarantine/<YYYYMMDD>/<same relative path>``, so a file swept by mistake can be put
back by hand during ``keep_days``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.clock import HallClock, system_now
from app.private import private_dir
from app.store.engine import Store
from app.store.models import Attachment

# Files first (fsync each, ≤ 30 MB a scan), then one transaction that may wait 15 s for the writer lock: an hour
# is far beyond any accept, even on a slow disk with a dozen scans.
LONGEST_ACCEPT = dt.timedelta(hours=1)
DEFAULT_KEEP_DAYS = 30


@dataclass
class SweepReport:
    scanned: int = 0
    referenced: int = 0
    too_young: int = 0  # unreferenced but younger than LONGEST_ACCEPT: left alone
    quarantined: list[str] = field(default_factory=list)  # relative paths moved
    purged_days: list[str] = field(default_factory=list)  # quarantine days deleted (older than keep_days)

    def to_json(self) -> dict[str, object]:
        return {"scanned": self.scanned, "referenced": self.referenced, "too_young": self.too_young,
                "quarantined": len(self.quarantined), "purged_days": self.purged_days}


def quarantine_dir(files_dir: Path) -> Path:
    return files_dir.parent / "quarantine"


def unreferenced_files(store: Store, files_dir: Path) -> list[str]:
    """Relative paths (POSIX form) of files under ``files_dir`` that no attachment row names."""
    with store.read() as session:
        referenced = set(session.scalars(select(Attachment.path)))
    out = []
    for path in sorted(files_dir.rglob("*")) if files_dir.is_dir() else ():
        if path.is_file():
            rel = path.relative_to(files_dir).as_posix()
            if rel not in referenced:
                out.append(rel)
    return out


def sweep_files(store: Store, files_dir: Path, *, clock: HallClock, keep_days: int = DEFAULT_KEEP_DAYS,
                min_age: dt.timedelta = LONGEST_ACCEPT, dry_run: bool = False) -> SweepReport:
    """Move unreferenced files older than ``min_age`` into the quarantine; delete quarantine days older than
    ``keep_days``. The referenced set is read first, so a file whose case commits during the sweep is young
    and left alone."""
    report = SweepReport()
    with store.read() as session:
        referenced = set(session.scalars(select(Attachment.path)))
    cutoff = (system_now() - min_age).timestamp()  # file times are the machine's, not the hall's
    day = f"{clock.today():%Y%m%d}"
    target_root = quarantine_dir(files_dir)
    for path in sorted(files_dir.rglob("*")) if files_dir.is_dir() else ():
        if not path.is_file():
            continue
        report.scanned += 1
        rel = path.relative_to(files_dir).as_posix()
        if rel in referenced:
            report.referenced += 1
            continue
        if path.stat().st_mtime > cutoff:
            report.too_young += 1
            continue
        report.quarantined.append(rel)
        if not dry_run:
            target = target_root / day / rel
            private_dir(target.parent)
            os.replace(path, target)
    if not dry_run:
        _remove_empty_dirs(files_dir)
    oldest_kept = clock.today() - dt.timedelta(days=keep_days)
    for entry in sorted(target_root.iterdir()) if target_root.is_dir() else ():
        try:
            taken = dt.datetime.strptime(entry.name, "%Y%m%d").date()
        except ValueError:
            continue
        if taken < oldest_kept:
            report.purged_days.append(entry.name)
            if not dry_run:
                shutil.rmtree(entry, ignore_errors=True)
    return report


def _remove_empty_dirs(root: Path) -> None:
    for directory in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        try:
            directory.rmdir()  # only succeeds when empty
        except OSError:
            pass
