"""The counter's store: one SQLAlchemy URL picks SQLite (a point) or PostgreSQL (a hall)."""

from __future__ import annotations

from app.store.engine import Store
from app.store.migrate import upgrade as upgrade_store

__all__ = ["Store", "open_store", "upgrade_store"]


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Open (and by default migrate) the store at ``url``; any failure is a :class:`StoreError`.

    Here rather than in ``engine`` so the engine knows nothing of the migrations that use it."""
    store = Store(url)
    store.check()
    if upgrade:
        upgrade_store(store)
    return store
