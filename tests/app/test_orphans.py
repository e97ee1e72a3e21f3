"""Files left by accepts killed between their fsync and their commit are swept into a quarantine; nothing a case
names is touched; the quarantine is emptied after its days."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest

from app.orphans import quarantine_dir, sweep_files, unreferenced_files
from app.store import open_store
from tests.app._case_kit import prepare
from tests.app.test_case_kill import CHILD, REPO, _check_whole_or_nothing, _run_child
from tests.hall_clock import CLOCK, on


@pytest.mark.timeout(240)
def test_kill_loop_leaves_orphans_and_the_sweep_quarantines_every_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'counter.db'}"
    store = open_store(url)
    prepare(store)
    store.dispose()
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(repo=str(REPO)), encoding="utf-8")
    files = tmp_path / "files"
    done: set[str] = set()
    rng = random.Random(20)
    for point in ("after_files", "after_flush", "", "before_commit", ""):  # "" = a kill at a random moment
        lines, _ = _run_child(url, files, script, point=point, after=1,
                              kill_after_lines=None if point else rng.randrange(2, 10))
        done |= {line.split()[1] for line in lines if line.startswith("done")}
    store = open_store(url, upgrade=False)
    try:
        orphans = unreferenced_files(store, files)
        assert len(orphans) >= 3  # at least one per kill between the files and the commit
        young = sweep_files(store, files, clock=CLOCK)  # all of them younger than an accept may take
        assert young.quarantined == [] and young.too_young == len(orphans)
        report = sweep_files(store, files, clock=CLOCK, min_age=dt.timedelta(0))
        assert sorted(report.quarantined) == sorted(orphans)
        assert unreferenced_files(store, files) == []
        for rel in orphans:
            assert (quarantine_dir(files) / f"{CLOCK.today():%Y%m%d}" / rel).is_file()
    finally:
        store.dispose()
    _check_whole_or_nothing(url, files, done)  # every case still has its files, byte for byte


def test_quarantine_days_are_deleted_after_keep_days(sqlite_store: object, tmp_path: Path) -> None:
    store = sqlite_store
    files = tmp_path / "files"
    (files / "2026" / "11").mkdir(parents=True)
    stray = files / "2026" / "11" / "lost.jpg"
    stray.write_bytes(b"scan")
    os.utime(stray, (1_000_000_000, 1_000_000_000))  # long ago
    first = sweep_files(store, files, clock=on(dt.date(2026, 11, 1)))  # type: ignore[arg-type]
    assert first.quarantined == ["2026/11/lost.jpg"] and not (files / "2026").exists()
    kept = sweep_files(store, files, clock=on(dt.date(2026, 11, 30)), keep_days=30)  # type: ignore[arg-type]
    assert kept.purged_days == [] and (quarantine_dir(files) / "20261101").is_dir()
    gone = sweep_files(store, files, clock=on(dt.date(2026, 12, 2)), keep_days=30)  # type: ignore[arg-type]
    assert gone.purged_days == ["20261101"] and not (quarantine_dir(files) / "20261101").exists()
