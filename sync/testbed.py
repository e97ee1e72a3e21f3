"""Test-bed helpers shared by the sync tests and the soak benchmark: run the hub (thread or process), seed a
client store with cases and attachment files, and register devices. Not used by the product at run time."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from app.clock import system_now
from app.store.engine import Store
from app.store.models import Attachment, Case, CaseMaterial, CatalogVersion, Hall, Outbox

if TYPE_CHECKING:
    from sync.server.filestore import FileStore

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def add_device(db_url: str, name: str, hall_code: str = "") -> str:
    from sync.server import service
    from sync.server.hubdb import open_hub_store

    store = open_hub_store(db_url)
    try:
        with store.write() as session:
            return service.add_device(session, name, hall_code)
    finally:
        store.dispose()


def wait_healthy(url: str, token: str, *, timeout: float = 30.0, verify: str | bool = True) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{url}/v1/health", headers={"Authorization": f"Bearer {token}"}, timeout=2,
                            verify=verify).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"hub at {url} did not become healthy")
        time.sleep(0.05)


class HubThread:
    """The hub app on uvicorn in a thread of this process (fast; for API and relay tests)."""

    def __init__(self, db_url: str, files_dir: Path | FileStore, *, port: int | None = None,
                 ssl: dict[str, Any] | None = None, upload_quota: int | None = None) -> None:
        import uvicorn

        from sync.server.app import build_app
        from sync.server.hubdb import open_hub_store

        self.store = open_hub_store(db_url)
        self.files_dir = files_dir
        self.port = port or free_port()
        options = {} if upload_quota is None else {"upload_quota": upload_quota}
        config = uvicorn.Config(build_app(self.store, files_dir, **options), host="127.0.0.1", port=self.port,
                                log_level="error", lifespan="off", **(ssl or {}))
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.scheme = "https" if ssl else "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> HubThread:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("hub thread did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.server.force_exit = True  # do not wait for idle keep-alive connections of test clients
        self.thread.join(10)
        self.store.dispose()


class HubProcess:
    """``python -m sync.server`` as a child process, so a test can kill and restart it.

    With ``workers`` > 1 the hub is uvicorn's supervisor and its worker processes, all in one new process group:
    ``kill()`` SIGKILLs the whole group, as a power cut would (a killed supervisor alone would leave its workers
    serving on the port).
    """

    def __init__(self, db_url: str, files_dir: Path | str, *, port: int | None = None, workers: int = 1,
                 s3_endpoint: str | None = None, repo: Path = REPO) -> None:
        self.db_url = db_url
        self.repo = repo  # the checkout whose hub runs (a benchmark runs an older one beside today's)
        self.files_dir = files_dir  # a directory, or s3://bucket/prefix with ``s3_endpoint``
        self.s3_endpoint = s3_endpoint
        self.port = port or free_port()
        self.workers = workers
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, token: str) -> HubProcess:
        self._log = tempfile.TemporaryFile()  # lives as long as the process it logs
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "sync.server", "--db", self.db_url, "--files", str(self.files_dir),
             "--port", str(self.port), "--workers", str(self.workers),
             *(["--s3-endpoint", self.s3_endpoint] if self.s3_endpoint else [])], cwd=self.repo,
            env={**os.environ, "PYTHONPATH": str(self.repo)}, start_new_session=True,
            # stderr to a file, not a pipe: nobody drains a pipe, and once its 64 KiB fill with uvicorn's warnings
            # (one per malformed request) the hub blocks on its next log line.
            stdout=subprocess.DEVNULL, stderr=self._log)
        try:
            wait_healthy(self.url, token)
        except RuntimeError:
            self.kill()
            raise
        return self

    def kill(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # the supervisor and every worker
        if self.proc.poll() is None:
            self.proc.wait(10)
        if self.workers > 1:  # the workers are gone once the port is free again
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", self.port)) != 0:
                        break
                time.sleep(0.05)

    def restart(self, token: str) -> None:
        self.kill()
        self.start(token)


# --- the client side ------------------------------------------------------------------------------------


def seed_hall(store: Store, hall_code: str = "150929") -> int:
    """A hall and a catalog version so cases can reference them; returns the catalog version id."""
    with store.write() as session:
        if session.get(Hall, hall_code) is None:
            session.add(Hall(code=hall_code, name="四子王旗政务服务中心"))
        version = session.query(CatalogVersion).filter_by(version="testbed").one_or_none()
        if version is None:
            version = CatalogVersion(version="testbed", issued="2026-01-01", sha256="0" * 64, current=True)
            session.add(version)
            session.flush()
        return version.id


def seed_cases(store: Store, files_dir: Path, count: int, *, attachments: int = 2,
               size_range: tuple[int, int] = (2_000, 20_000), seed: int = 1, hall_code: str = "150929",
               prefix: str = "T") -> list[str]:
    """Create ``count`` accepted cases with attachment files and their ``case.accept`` outbox rows, the way
    app.cases.accept_case leaves them (one transaction per case). Returns the case numbers."""
    from app.canonical import canonical_sha256
    from app.cases.payload import case_payload

    rng = random.Random(seed)
    version_id = seed_hall(store, hall_code)
    numbers: list[str] = []
    now = system_now()  # test data: stamped by the machine's clock
    for i in range(count):
        case_id = str(uuid.uuid4())
        case_no = f"{prefix}{hall_code}{i:06d}"
        files = []
        for j in range(attachments):
            data = rng.randbytes(rng.randint(*size_range))
            rel = f"{case_id[:2]}/{case_id}/{j}.jpg"
            path = files_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files.append(Attachment(id=str(uuid.uuid4()), material_key=f"m{j}", filename=f"材料{j}.jpg", path=rel,
                                    sha256=hashlib.sha256(data).hexdigest(), size=len(data), mime="image/jpeg",
                                    created_at=now))
        with store.write() as session:
            case = Case(id=case_id, case_no=case_no, hall_code=hall_code, window_number=1,
                        catalog_version_id=version_id, matter_code="M001", matter_name="城乡居民养老保险参保登记",
                        department="旗人社局", matter_snapshot={}, applicant_name=f"测试申请人{i}",
                        applicant_id_kind="resident", applicant_id_no="150929199001011234", decision="normal",
                        state="accepted", accepted_at=now, service_date=now.date())
            case.materials = [CaseMaterial(key=f"m{j}", name=f"材料{j}", state="original") for j in range(attachments)]
            case.attachments = files
            session.add(case)
            session.flush()
            payload = case_payload(case)
            session.add(Outbox(kind="case.accept", case_id=case_id, payload=payload, sha256=canonical_sha256(payload),
                               created_at=now, next_attempt_at=now))
        numbers.append(case_no)
    return numbers
