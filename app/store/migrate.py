"""Alembic migrations of the counter's store, run programmatically (``python -m app db upgrade`` and on start)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from app.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

    from app.store.engine import Store

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(store: Store | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if store is not None:
        config.set_main_option("sqlalchemy.url", store.url.replace("%", "%%"))
        # The store's data key, for the migrations that seal or open personal data on an engine of their own.
        config.attributes["data_keys"] = getattr(store.engine.dialect, "_zc_data_keys", None)
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_REVISION = re.compile(r"^revision(?:\s*:[^=]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=\s*(.+)$", re.MULTILINE)


def script_heads() -> set[str] | None:
    """The head revision(s) read from the migration files' ``revision`` / ``down_revision`` lines, without
    importing alembic (170 ms of every start); None when a file does not say plainly (alembic then decides)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        found, down = _REVISION.search(source), _DOWN.search(source)
        if found is None or down is None:
            return None
        revisions.add(found.group(1))
        downs.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return revisions - downs or None


def _at_head_quickly(store: Store) -> bool:
    """True when the store's ``alembic_version`` is exactly the files' single head (the start of every day)."""
    heads = script_heads()
    if heads is None or len(heads) != 1:
        return False
    try:
        with store.engine.connect() as conn:
            stamped = {str(v) for v in conn.execute(text("SELECT version_num FROM alembic_version")).scalars()}
    except Exception:  # no table yet (a new store) or anything odd: let alembic look
        return False
    return stamped == heads


def upgrade(store: Store, revision: str = "head") -> None:
    """Bring the store to ``revision``; safe when several processes start at once. A store already at the head
    is recognised without importing alembic."""
    if revision == "head" and _at_head_quickly(store):
        return
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    from app.store.dberrors import describe_db_error

    try:
        if revision == "head" and current_revision(store) == head_revision():
            return
        from app.store.backup import check_integrity

        check_integrity(store)  # never migrate a damaged file: the upgrade would spread the damage
        config = alembic_config(store)
        with store._writer.begin() as conn:  # BEGIN IMMEDIATE on SQLite: one migrator at a time
            if store.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(727001)"))
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    except DBAPIError as exc:
        raise StoreError(describe_db_error(exc, store.url)) from exc
