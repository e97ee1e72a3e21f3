"""Opening the hub's database (reusing the client's Store for WAL / BEGIN IMMEDIATE) and migrating it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.errors import StoreError
from app.store.dberrors import describe_db_error
from app.store.engine import Store

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parents[1] / "hub_migrations"


def alembic_config(store: Store | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if store is not None:
        config.set_main_option("sqlalchemy.url", store.url.replace("%", "%%"))
        # The store's data key, for the migrations that seal or open personal data on an engine of their own.
        config.attributes["data_keys"] = getattr(store.engine.dialect, "_zc_data_keys", None)
    return config


def upgrade(store: Store) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    try:
        with store.engine.connect() as conn:
            current = MigrationContext.configure(conn, opts={"version_table": "hub_alembic_version"}).get_current_revision()
        if current == head:
            return
        config = alembic_config(store)
        with store._writer.begin() as conn:
            if store.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(727002)"))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except DBAPIError as exc:
        raise StoreError(describe_db_error(exc, store.url)) from exc


def open_hub_store(url: str) -> Store:
    """Open and migrate the hub database at ``url`` (SQLite in WAL mode for trials, PostgreSQL in production)."""
    store = Store(url)
    store.check()
    upgrade(store)
    return store
