"""Opening the hub's database (reusing the client's Store for WAL / BEGIN IMMEDIATE) and migrating it."""

from __future__ import annotations

import os
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
ENV_KEY_FILE = "ZC_HUB_KEY_FILE"


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


def default_hub_key_file() -> Path:
    """``ZC_HUB_KEY_FILE`` (every worker process inherits it), else ``hub.key`` in the platform's config
    directory of the account running the hub — never beside the database or its files."""
    if os.environ.get(ENV_KEY_FILE):
        return Path(os.environ[ENV_KEY_FILE]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("zongchuang-hub", appauthor=False)) / "hub.key"


def open_hub_store(url: str, *, key_file: Path | None = None) -> Store:
    """Open and migrate the hub database at ``url`` (SQLite in WAL mode for trials, PostgreSQL in production),
    with the hub's own data key (made for a new hub database, refused when missing or another one)."""
    from app.store import crypto

    store = Store(url)
    store.check()
    crypto.attach_keys(store.engine, key_file or default_hub_key_file(), table="hub_data_key", what="枢纽数据库")
    upgrade(store)
    return store
