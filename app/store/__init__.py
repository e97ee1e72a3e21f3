"""The counter's store: one SQLAlchemy URL picks SQLite (a point) or PostgreSQL (a hall)."""

from __future__ import annotations

from pathlib import Path

from app.store import audit_chain, crypto
from app.store.engine import Store
from app.store.migrate import upgrade as upgrade_store

audit_chain.install()  # every audit entry any session writes joins the hash chain
crypto.install()  # every blind index (ID number lookups) is filled in on flush

__all__ = ["Store", "open_store", "upgrade_store"]


def open_store(url: str, *, upgrade: bool = True, key_file: Path | str | None = None) -> Store:
    """Open (and by default migrate) the store at ``url``; any failure is a :class:`StoreError`.

    ``key_file`` is the data key (``[store] key_file``; default ``app.settings.default_key_file()``): made on the first
    open of a new store, refused with a clear message when the store's key is missing or another one.
    Here rather than in ``engine`` so the engine knows nothing of the migrations that use it."""
    from app.settings import default_key_file
    from app.store.backup import check_integrity

    store = Store(url)
    # A partly corrupt file is refused now, naming the newest good backup — before anything else reads it (a
    # damaged schema page would otherwise fail the first connection with a message offering no backup).
    check_integrity(store)
    store.check()
    path = Path(key_file).expanduser() if key_file else default_key_file()
    crypto.attach_keys(store.engine, path, table="data_key", what="本机数据库")
    if upgrade:
        upgrade_store(store)
    return store
