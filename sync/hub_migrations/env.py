"""Alembic environment of the hub's own schema (version table ``hub_alembic_version``)."""

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from app.store.crypto import bind_keys
from sync.server.models import HubBase

config = context.config
target_metadata = HubBase.metadata
VERSION_TABLE = "hub_alembic_version"


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        if config.attributes.get("data_keys") is not None:
            bind_keys(engine.dialect, config.attributes["data_keys"])
        with engine.begin() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The hub may share a database with nothing else, but never touch tables that are not ours.
        include_name=lambda name, type_, _parent: type_ != "table" or (name or "").startswith("hub_"),
    )
    with context.begin_transaction():
        context.run_migrations()


run()
