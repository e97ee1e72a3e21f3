"""Shared fixtures: offscreen Qt, fresh SQLite stores, and a throwaway PostgreSQL cluster.

The PostgreSQL cluster is started once per test session from the installed server binaries (``initdb`` +
``pg_ctl``); each test gets its own database cloned from a migrated template. In CI (``CI`` set) a missing
server is a failure, never a skip.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.store import Store, open_store
from ui.refcounts import pin_refcounts

pin_refcounts()  # a long session makes many Qt calls: see ui/refcounts.py

# One data key for the whole run (app.store.crypto), so the PostgreSQL template migrated once opens in every test;
# the tests of a missing or wrong key pass their own key_file. Child processes (hub, relay, kills) inherit it.
_KEYS = Path(tempfile.mkdtemp(prefix="zc-keys-"))
KEEP_ENV = {"ZC_DATA_DIR", "ZC_CONFIG", "ZC_STORE_KEY_FILE", "ZC_HUB_KEY_FILE"}
os.environ["ZC_STORE_KEY_FILE"] = str(_KEYS / "data.key")
os.environ["ZC_HUB_KEY_FILE"] = str(_KEYS / "hub.key")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's settings or data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ZC_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("ZC_CONFIG", str(home / "settings.toml"))
    (home / "settings.toml").write_text("", encoding="utf-8")
    for name in list(os.environ):
        if name.startswith("ZC_") and name not in KEEP_ENV:
            monkeypatch.delenv(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'counter.db').as_posix()}"


@pytest.fixture
def sqlite_store(sqlite_url: str) -> Iterator[Store]:
    store = open_store(sqlite_url)
    yield store
    store.dispose()


# --- PostgreSQL -----------------------------------------------------------------------------------------


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / "pg_ctl").exists():
            return base
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    def __init__(self, root: Path, *, fsync: bool = False) -> None:
        self.bindir = _pg_bindir()
        self.fsync = fsync  # tests run without; benchmarks of commit latency (bench_queue) with, as a real hall
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self.as_postgres = hasattr(os, "geteuid") and os.geteuid() == 0
        self._names = itertools.count()

    def _run(self, *cmd: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run(prefix + list(cmd), check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        assert self.bindir is not None
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
            os.chmod(self.root, 0o755)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self.resume()

    def resume(self) -> None:
        """Start the server on the data directory already there (benchmarks keep a big store between runs)."""
        assert self.bindir is not None
        durable = "-c fsync=on -c full_page_writes=on" if self.fsync else "-c fsync=off -c full_page_writes=off"
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
                f"-c max_connections=200 {durable}")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
                  str(self.root / "server.log"), "-w", "start")

    def stop(self) -> None:
        if self.bindir and self.data.exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        name = f"t{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgCluster]:
    root = Path(tempfile.mkdtemp(prefix=f"zc-pg-{os.getpid()}-", dir="/tmp"))  # short: the socket lives here
    cluster = PgCluster(root)
    if cluster.bindir is None:
        message = ("PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql "
                   "(the README's test command does this on Debian as root)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip("SKIPPING POSTGRESQL TESTS — " + message)
    cluster.start()
    template_url = cluster.new_database()
    store = open_store(template_url)
    store.dispose()
    cluster.template = template_url.rsplit("/", 1)[1]  # type: ignore[attr-defined]
    yield cluster
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test, dropped after it: the copies of the template (about
    10 MB each, hundreds in a run) would otherwise fill the disk and cost half a minute to delete at the end."""
    url = pg_cluster.new_database(template=pg_cluster.template)  # type: ignore[attr-defined]
    yield url
    pg_cluster.admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    store = open_store(pg_url)
    yield store
    store.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on both engines."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'counter.db').as_posix()}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def any_store(any_url: str) -> Iterator[Store]:
    store = open_store(any_url)
    yield store
    store.dispose()
