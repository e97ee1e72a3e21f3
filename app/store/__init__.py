"""The counter's store: one SQLAlchemy URL picks SQLite (a point) or PostgreSQL (a hall)."""

from app.store.engine import Store, open_store

__all__ = ["Store", "open_store"]
