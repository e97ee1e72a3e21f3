"""One relay pass at a time per store: a PostgreSQL advisory lock or an ``flock`` beside the SQLite file."""

from __future__ import annotations

import os
from typing import Any

from app.store.engine import Store


class PassLock:
    """One relay pass at a time per store, across processes and PCs.

    PostgreSQL (a hall's shared store): a session-level advisory lock on a dedicated connection. SQLite: an
    exclusive ``flock`` on ``<db>.sync.lock``. Both vanish with the process, so a SIGKILLed relay never leaves
    a stale lock behind (a lease row would). Where neither is available the pass runs unlocked; the hub's
    idempotency keeps that safe, only wasteful.
    """

    KEY = 727010

    def __init__(self, store: Store) -> None:
        self.store = store
        self._conn: Any = None
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self.store.dialect == "postgresql":
            from sqlalchemy import text

            conn = self.store.engine.connect()
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.KEY}).scalar())
            conn.commit()
            if not got:
                conn.close()
                return False
            self._conn = conn
            return True
        path = self.store.engine.url.database
        try:
            import fcntl
        except ImportError:  # Windows: no flock; see the class docstring
            return True
        if not path or path == ":memory:":
            return True
        fd = os.open(f"{path}.sync.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._conn is not None:
            from sqlalchemy import text

            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.KEY})
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
