"""The store on both engines: migrations, pragmas, transactions and clear errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from app.errors import StoreError
from app.store import Store, open_store, upgrade_store
from app.store.crypto import SealedJSON, SealedText
from app.store.migrate import current_revision, head_revision
from app.store.models import AuditEvent, Base, Hall, Outbox
from tests.hall_clock import CLOCK


def test_migrated_to_head(any_store: Store) -> None:
    assert current_revision(any_store) == head_revision()
    upgrade_store(any_store)  # a second upgrade is a no-op
    assert current_revision(any_store) == head_revision()


def test_write_commits_and_error_rolls_back(any_store: Store) -> None:
    with any_store.write() as s:
        s.add(Hall(code="150125", name="武川县政务服务中心"))
    with pytest.raises(RuntimeError):
        with any_store.write() as s:
            s.add(AuditEvent(action="test", actor="x", at=CLOCK.now()))
            s.flush()
            raise RuntimeError("boom")
    with any_store.read() as s:
        assert s.scalar(select(func.count()).select_from(Hall)) == 1
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_json_and_times_roundtrip(any_store: Store) -> None:
    with any_store.write() as s:
        s.add(Outbox(kind="case.accept", payload={"名称": "医保", "n": [1, 2]}, sha256="0" * 64,
                     created_at=CLOCK.now(), next_attempt_at=CLOCK.now()))
    with any_store.read() as s:
        row = s.scalars(select(Outbox)).one()
        assert row.payload == {"名称": "医保", "n": [1, 2]}
        assert row.state == "pending"


def test_sqlite_pragmas(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_sqlite_writer_takes_the_lock_up_front(sqlite_store: Store, sqlite_url: str) -> None:
    """While one writer holds BEGIN IMMEDIATE, a second cannot even start (no lock-upgrade deadlock)."""
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite_store.write() as s:
        s.execute(text("SELECT 1"))
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "counter.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match=r"损坏|不是数据库"):
        open_store(f"sqlite:///{bad.as_posix()}")
    assert bad.read_bytes().startswith(b"this is not sqlite")  # untouched


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="无法连接数据库"):
        open_store("postgresql://nobody@127.0.0.1:1/none")


def test_unwritable_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match=r"无法创建数据目录|无法打开"):
        Store(f"sqlite:///{(blocker / 'sub' / 'counter.db').as_posix()}")


def test_the_quick_head_check_agrees_with_alembic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every start skips alembic when the store is at the head (issue 21); the head read from the files must be
    alembic's, for the files as they are and for the other ways a revision file may spell it."""
    from app.store import migrate

    assert migrate.script_heads() == {migrate.head_revision()}
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}", upgrade=False)
    assert not migrate._at_head_quickly(fresh)  # no alembic_version yet: alembic builds the schema
    migrate.upgrade(fresh)
    assert migrate._at_head_quickly(fresh)
    fresh.dispose()
    versions = tmp_path / "m" / "versions"
    versions.mkdir(parents=True)
    (versions / "a.py").write_text("revision = '0001'\ndown_revision = None\n", encoding="utf-8")
    (versions / "b.py").write_text('revision: str = "0002"\ndown_revision: str | None = "0001"\n', encoding="utf-8")
    (versions / "c.py").write_text("revision = '0003'\ndown_revision = '0001'\n", encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", tmp_path / "m")
    assert migrate.script_heads() == {"0002", "0003"}  # two heads: not "at head" quickly, alembic decides
    (versions / "d.py").write_text("revision = '0004'\ndown_revision = ('0002', '0003')\n", encoding="utf-8")
    assert migrate.script_heads() == {"0004"}
    (versions / "e.py").write_text("revision = make_id()\n", encoding="utf-8")
    assert migrate.script_heads() is None


def test_the_migrations_build_the_schema_the_models_describe(any_store: Store) -> None:
    # A model change without its migration (or a migration the models do not follow) shows here, on both engines.
    # Sealed columns (app.store.crypto) keep their declared type on SQLite and are TEXT on PostgreSQL: the stored
    # text is the sealed value, so their type is not compared; everything else is.
    def compare_type(_ctx: object, _inspected: object, meta: Any, _inspected_type: object, _meta_type: object) -> bool | None:
        return False if isinstance(meta.type, (SealedText, SealedJSON)) else None

    with any_store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": compare_type})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
