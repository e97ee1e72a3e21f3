"""Integrity at start and before upgrades, online backups with rotation, and restore of the newest good one."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth import audit
from app.errors import StoreError
from app.settings import Settings
from app.store import Store, open_store
from app.store.backup import DamagedStoreError, backup, list_backups, quick_check_file, restore
from app.store.models import AuditEvent, Outbox
from app.upkeep import start_of_day
from tests.hall_clock import CLOCK, on

REPO = Path(__file__).resolve().parents[2]


def fill(store: Store, n: int) -> None:
    with store.write() as session:
        for i in range(n):
            audit(session, action="login.ok", actor=f"clerk{i:04d}", at=CLOCK.now(), detail={"pad": "x" * 400})


def entries(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def corrupt(db: Path) -> None:
    """Overwrite a page in the middle of the file (the store closed: its WAL checkpointed into the file)."""
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek((size // 4096 // 2) * 4096)
        fh.write(b"\xa5" * 4096)


def test_a_backup_is_consistent_private_and_rotated(tmp_path: Path) -> None:
    db = tmp_path / "counter.db"
    store = open_store(f"sqlite:///{db}")
    fill(store, 20)
    made = [backup(store, clock=on(dt.date(2026, 12, day)), keep=2) for day in (1, 2, 3)]
    store.dispose()
    assert [b.path for b in list_backups(db)] == [made[2].path, made[1].path]  # the oldest rotated out
    assert not made[0].path.exists()
    assert quick_check_file(made[2].path) == "ok"
    if os.name == "posix":
        assert stat.S_IMODE(made[2].path.stat().st_mode) == 0o600
        assert stat.S_IMODE(made[2].path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(made[2].path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM audit_event").fetchone() == (20,)


def test_start_of_day_backs_up_sweeps_and_anchors_once_per_hall_day(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    store = open_store(settings.db_url)
    fill(store, 3)
    try:
        monkeypatch.setenv("ZC_CLOCK_AT", "2026-11-23T09:00:00+08:00")
        first = start_of_day(store, settings)
        assert first.ran and first.done == ["backup", "sweep", "anchor"] and not first.failed
        assert not start_of_day(store, settings).ran  # the same hall day: nothing again
        monkeypatch.setenv("ZC_CLOCK_AT", "2026-11-24T08:00:00+08:00")
        assert start_of_day(store, settings).ran
        assert len(list_backups(settings.data_dir / "counter.db")) == 2
        with store.read() as s:
            assert len(s.scalars(select(Outbox).where(Outbox.kind == "audit.anchor")).all()) == 2
    finally:
        store.dispose()


def test_a_corrupt_store_is_refused_at_start_naming_the_good_backup_and_restored(tmp_path: Path) -> None:
    db = tmp_path / "counter.db"
    store = open_store(f"sqlite:///{db}")
    fill(store, 300)
    good = backup(store, clock=on(dt.date(2026, 12, 1)))
    fill(store, 5)  # accepted after the backup: the message says to re-enter these
    store.dispose()
    corrupt(db)
    assert quick_check_file(db) != "ok"
    with pytest.raises(StoreError) as err:
        open_store(f"sqlite:///{db}")
    assert "数据库文件已损坏" in err.value.message and str(good.path) in err.value.message
    assert "python -m app db restore" in err.value.message
    aside = restore(db, good.path, clock=CLOCK)
    assert aside.exists() and aside.name.startswith("counter.db.damaged-")
    store = open_store(f"sqlite:///{db}")
    try:
        assert entries(store) == 300
    finally:
        store.dispose()


def test_an_upgrade_refuses_a_damaged_store_before_migrating_it(tmp_path: Path) -> None:
    from alembic import command

    from app.store.migrate import alembic_config, head_revision, upgrade

    db = tmp_path / "counter.db"
    store = open_store(f"sqlite:///{db}")
    fill(store, 300)
    command.downgrade(alembic_config(store), "0012")  # a store one schema version behind, waiting for its upgrade
    store.dispose()
    with sqlite3.connect(db) as conn:  # the downgrade's pages into the file, so the damage is not masked by the WAL
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    corrupt(db)
    assert quick_check_file(db) != "ok"
    with pytest.raises(DamagedStoreError, match="数据库文件已损坏") as err:
        upgrade(Store(f"sqlite:///{db}"))  # the upgrade itself checks, whoever calls it
    assert err.value.db == db and err.value.good is None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0012",) != (head_revision(),)


def test_no_good_backup_is_said_plainly(tmp_path: Path) -> None:
    db = tmp_path / "counter.db"
    store = open_store(f"sqlite:///{db}")
    fill(store, 300)
    store.dispose()
    corrupt(db)
    with pytest.raises(StoreError, match="没有找到可用的备份"):
        open_store(f"sqlite:///{db}")


def test_postgresql_backup_points_to_pg_dump(pg_url: str) -> None:
    store = open_store(pg_url)
    try:
        with pytest.raises(StoreError, match="pg_dump"):
            backup(store, clock=CLOCK)
    finally:
        store.dispose()


def test_db_commands_back_up_list_check_and_restore(tmp_path: Path) -> None:
    db = tmp_path / "counter.db"
    store = open_store(f"sqlite:///{db}")
    fill(store, 300)
    store.dispose()
    env = {**os.environ, "ZC_CLOCK_AT": "2026-12-01T09:00:00+08:00"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", "db", *args, "--db", f"sqlite:///{db}"], cwd=REPO,
                              capture_output=True, text=True, timeout=60, env=env)

    made = run("backup")
    assert made.returncode == 0 and "已备份" in made.stdout, made.stderr
    listed = run("backups")
    assert "完好" in listed.stdout and "共 1 份备份" in listed.stdout
    assert run("check").returncode == 0
    corrupt(db)
    checked = run("check")
    assert checked.returncode != 0 and "数据库文件已损坏" in checked.stderr
    path = list_backups(db)[0].path
    restored = run("restore", str(path))
    assert restored.returncode == 0 and "原文件保留为" in restored.stdout, restored.stderr
    assert run("check").returncode == 0
