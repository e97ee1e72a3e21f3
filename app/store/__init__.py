"""The counter's store: one SQLAlchemy URL picks SQLite (a point) or PostgreSQL (a hall)."""

from __future__ import annotations

from app.store import audit_chain
from app.store.engine import Store
from app.store.migrate import upgrade as upgrade_store

audit_chain.install()  # every audit entry any session writes joins the hash chain

__all__ = ["Store", "open_store", "upgrade_store"]


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Open (and by default migrate) the store at ``url``; any failure is a :class:`StoreError`.

    Here rather than in ``engine`` so the engine knows nothing of the migrations that use it."""
    from app.store.backup import check_integrity

    store = Store(url)
    store.check()
    check_integrity(store)  # a partly corrupt file is refused now, naming the newest good backup
    if upgrade:
        upgrade_store(store)
    return store
