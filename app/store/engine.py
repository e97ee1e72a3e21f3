"""Opening the store: SQLite pragmas (WAL, synchronous=FULL, foreign keys, busy timeout), BEGIN IMMEDIATE for
writers, PostgreSQL through psycopg 3, and Alembic migrations on open."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import StoreError
from app.private import open_private, private_dir, private_file
from app.store.dberrors import describe_db_error, is_environmental

BUSY_TIMEOUT_MS = 15000
# PostgreSQL: True while a caller answers a lost connection itself (Store.unpinged()), so its checkout skips the
# liveness ping and its own statements are the first round trip.
_UNPINGED: ContextVar[bool] = ContextVar("zc_store_unpinged", default=False)


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy's default would be psycopg2)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"数据库地址无法识别：{url!r}（示例：sqlite:///C:/data/counter.db 或 postgresql://user@host/db）") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"不支持的数据库类型：{parsed.get_backend_name()}（只支持 SQLite 与 PostgreSQL）")
    return parsed.render_as_string(hide_password=False)


class Store:
    """An opened store.

    ``write()`` yields a session whose transaction takes SQLite's write lock up front (``BEGIN IMMEDIATE``), so
    two writers never deadlock on a lock upgrade; ``read()`` yields a plain deferred one. Both commit on success
    and roll back on any error, which is then raised as :class:`StoreError` when it came from the database.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        path = _sqlite_path(self.url)
        if path is not None:
            try:
                private_dir(path.parent)
                # 0600 before SQLite first opens it: its -wal and -shm files take the database file's mode.
                private_file(path, create=True)
                for side in ("-wal", "-shm", "-journal"):
                    private_file(path.with_name(path.name + side))
            except OSError as exc:
                raise StoreError(f"无法创建数据目录 {path.parent}：{exc.strerror}") from None
        kwargs: dict[str, object] = {"echo": echo}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        else:
            kwargs["connect_args"] = {"connect_timeout": 10}
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _install_sqlite_hooks(self.engine)
        else:
            _install_pg_ping(self.engine)
        self._writer = self.engine.execution_options(zc_immediate=True)
        self.write_sessions = sessionmaker(self._writer, expire_on_commit=False)
        self.read_sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        with self._session(self.write_sessions) as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._session(self.read_sessions) as session:
            yield session

    @contextlib.contextmanager
    def unpinged(self) -> Iterator[None]:
        """Sessions opened inside skip PostgreSQL's liveness ping on checkout (one round trip less). Only for a
        caller that retries on a lost connection (:func:`connection_lost`) and whose retry cannot do the work
        twice: call-next, whose request id answers a claim that did commit with the ticket it claimed."""
        token = _UNPINGED.set(True)
        try:
            yield
        finally:
            _UNPINGED.reset(token)

    @contextlib.contextmanager
    def _session(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        session = factory()
        try:
            yield session
            session.commit()
        except (OperationalError, DBAPIError, sqlite3.Error) as exc:
            session.rollback()
            if isinstance(exc, DBAPIError) and not isinstance(exc, OperationalError) and not is_environmental(exc):
                raise
            raise StoreError(describe_db_error(exc, self.url)) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def check(self) -> None:
        """Open a connection and run a trivial query, turning any failure into a clerk-facing error."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except (DBAPIError, sqlite3.Error) as exc:
            raise StoreError(describe_db_error(exc, self.url)) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event decide how a transaction starts (pysqlite's own BEGIN is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        # Deleted and overwritten personal data (masked after retention, rows removed) is zeroed on disk, not left
        # in free pages for a file-level reader.
        cur.execute("PRAGMA secure_delete = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("zc_immediate"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _install_pg_ping(engine: Engine) -> None:
    """SQLAlchemy's ``pool_pre_ping`` (a ``SELECT 1`` on every checkout, so a connection the server dropped is
    replaced before use), except inside :meth:`Store.unpinged`, where only psycopg's own knowledge is checked."""

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, _record: object, _proxy: object) -> None:
        if dbapi_conn.closed or dbapi_conn.broken:
            raise DisconnectionError("connection closed")
        if _UNPINGED.get():
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # a connection that cannot answer SELECT 1: the pool drops it and connects anew
            raise DisconnectionError(str(exc)) from exc


def connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` (a StoreError or the database error under it) is a dropped PostgreSQL connection."""
    cause = exc if isinstance(exc, DBAPIError) else exc.__cause__
    return isinstance(cause, DBAPIError) and bool(cause.connection_invalidated)


def fsync_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` durably: temp file, fsync, rename, fsync the directory. The file is 0600 and
    any directory created for it 0700 (scans and exports are personal data)."""
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".part")
    with os.fdopen(open_private(tmp), "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
