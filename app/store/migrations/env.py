"""Alembic environment: uses the connection handed in by app.store.migrate, or the configured URL."""

from alembic import context
from sqlalchemy import Connection, create_engine

from app.store.crypto import bind_keys
from app.store.models import Base

config = context.config
target_metadata = Base.metadata


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
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
