"""The soak harness: many cases through a faulty link while the client is SIGKILLed and the hub restarted.

Used by tests/sync/test_soak.py (short, compressed time) and benchmarks/bench_sync_soak.py (long). The client
is the real ``python -m app sync run --until-idle`` in a child process; the hub is ``python -m sync.server`` in
another; the fault proxy sits between them in this process.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import select

from app.store import open_store
from app.store.models import Attachment, Case
from sync.faultproxy import FaultProxy, LinkProfile
from sync.history import ENV_HISTORY, check_history, read_history
from sync.relay import read_status
from sync.server import service
from sync.server.hubdb import open_hub_store
from sync.testbed import PYTHON, REPO, HubProcess, add_device, free_port, seed_cases


@dataclass
class SoakConfig:
    cases: int = 60
    attachments: int = 2
    size_range: tuple[int, int] = (2_000, 12_000)
    profile: LinkProfile = field(default_factory=lambda: LinkProfile("loopback-fast", 4_000_000, 0.005, 0.002))
    kills: int = 3
    # Each client run is SIGKILLed once it has sent a random number of bytes in this range through the link, so
    # every kill lands mid-transfer however fast the sync has become (a kill timed in seconds missed once the
    # client finished its work before it); a run still going after kill_by_seconds (stuck in an outage) is killed.
    kill_after_bytes: tuple[int, int] = (20_000, 80_000)
    kill_by_seconds: float = 20.0
    hub_restart_after_kill: int = 1  # restart the hub right after this kill (0 = never)
    outages: list[tuple[float, str, float]] = field(default_factory=lambda: [(1.5, "blackhole", 2.0)])
    backoff_base: float = 0.2
    backoff_cap: float = 2.0
    connect_timeout: float = 2.0
    read_timeout: float = 4.0
    chunk_target_seconds: float = 1.0
    deadline: float = 240.0
    seed: int = 7


@dataclass
class SoakResult:
    cases_seeded: int
    cases_on_hub: int
    duplicates: int
    files_ok: int
    files_bad: list[str]
    results_set: int
    results_on_client: int
    results_missing: list[str]
    client_rejected: int
    client_parked: int
    kills: int
    hub_restarts: int
    client_runs: int
    seconds: float
    payload_bytes: int
    wire_bytes_up: int
    log: list[str]
    history: dict[str, Any] = field(default_factory=dict)  # sync.history's check of the recorded run

    @property
    def ok(self) -> bool:
        return (self.cases_on_hub == self.cases_seeded and self.duplicates == 0 and not self.files_bad
                and self.files_ok > 0 and not self.results_missing and self.results_on_client == self.results_set
                and self.client_rejected == 0 and self.client_parked == 0 and bool(self.history.get("ok")))

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "log"} | {"ok": self.ok}


def _client_settings(path: Path, data_dir: Path, db_url: str, key_file: Path, hub_url: str, token: str,
                     cfg: SoakConfig) -> None:
    path.write_bytes(tomli_w.dumps({
        "data_dir": str(data_dir),
        "store": {"url": db_url, "key_file": str(key_file)},
        "sync": {"hub_url": hub_url, "token": token, "connect_timeout": cfg.connect_timeout,
                 "read_timeout": cfg.read_timeout, "backoff_base_seconds": cfg.backoff_base,
                 "backoff_cap_seconds": cfg.backoff_cap, "chunk_target_seconds": cfg.chunk_target_seconds},
    }).encode("utf-8"))


def _start_client(settings: Path, log_file: Path) -> subprocess.Popen[bytes]:
    with open(log_file, "ab") as log:
        return subprocess.Popen([PYTHON, "-m", "app", "sync", "run", "--until-idle", "--config", str(settings)],
                                cwd=REPO, env=_client_env(settings),
                                stdout=log, stderr=log)


def _client_env(settings: Path) -> dict[str, str]:
    # ZC_* variables (e.g. a test's ZC_DATA_DIR) would override the client's settings file, which names the data
    # key this process made the store with; the hub's key file stays, so the hub processes share this one's.
    keep = ("ZC_HUB_KEY_FILE",)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZC_") or k in keep}
    # Every client run appends what it sent, had acknowledged and pulled (sync.history), beside its settings.
    return {**env, "PYTHONPATH": str(REPO), "ZC_CONFIG": str(settings),
            ENV_HISTORY: str(settings.parent / "history.jsonl")}


def _set_results(hub_db: str, case_nos: list[str], rng: random.Random) -> dict[str, str]:
    chosen: dict[str, str] = {}
    store = open_hub_store(hub_db)
    try:
        for no in case_nos:
            result = rng.choice(["approved", "refused"])
            with store.write() as session:
                service.set_result(session, no, result, "浸泡测试")
            chosen[no] = result
    finally:
        store.dispose()
    return chosen


def _received(hub_db: str) -> list[str]:
    store = open_hub_store(hub_db)
    try:
        with store.read() as session:
            return list(session.scalars(select(service.HubCase.case_no)))
    finally:
        store.dispose()


def _last_error(proc: subprocess.Popen[bytes], workdir: Path) -> str:
    """The client log's last line after a failed run, so a soak that cannot make progress says why."""
    if proc.returncode == 0:
        return ""
    lines = (workdir / "client.log").read_text("utf-8", errors="replace").strip().splitlines()
    return f": {lines[-1]}" if lines else ""


def _kill_after(proc: subprocess.Popen[bytes], proxy: FaultProxy, amount: int, by_seconds: float) -> bool:
    """SIGKILL ``proc`` once ``amount`` more bytes went up through ``proxy`` (or ``by_seconds`` passed); False if
    it exited by itself first."""
    start, until = proxy.stats.bytes_up, time.monotonic() + by_seconds
    while proc.poll() is None:
        if proxy.stats.bytes_up - start >= amount or time.monotonic() >= until:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.01)
    return False


def run_soak(workdir: Path, cfg: SoakConfig, *, say: Any = None) -> SoakResult:
    rng = random.Random(cfg.seed)
    log: list[str] = []
    started = time.monotonic()

    def note(text: str) -> None:
        line = f"[{time.monotonic() - started:7.1f}s] {text}"
        log.append(line)
        if say is not None:
            say(line)

    workdir.mkdir(parents=True, exist_ok=True)
    hub_db = f"sqlite:///{workdir / 'hub.db'}"
    hub_files = workdir / "hub-files"
    token = add_device(hub_db, "soak-client")
    hub = HubProcess(hub_db, hub_files, port=free_port()).start(token)
    proxy = FaultProxy(("127.0.0.1", hub.port), profile=cfg.profile, seed=cfg.seed).start()
    data_dir = workdir / "client"
    client_db = f"sqlite:///{data_dir / 'counter.db'}"
    key_file = workdir / "data.key"
    client = open_store(client_db, key_file=key_file)
    numbers = seed_cases(client, data_dir / "files", cfg.cases, attachments=cfg.attachments,
                         size_range=cfg.size_range, seed=cfg.seed)
    with client.read() as session:
        expected = {(a.id): a.sha256 for a in session.scalars(select(Attachment))}
        payload_bytes = sum(a.size for a in session.scalars(select(Attachment)))
    settings = workdir / "client.toml"
    _client_settings(settings, data_dir, client_db, key_file, f"http://127.0.0.1:{proxy.port}", token, cfg)
    note(f"seeded {cfg.cases} cases, {payload_bytes} attachment bytes; link {cfg.profile}")
    proxy.schedule(cfg.outages)
    kills = restarts = runs = 0
    results: dict[str, str] = {}
    try:
        while kills < cfg.kills and time.monotonic() - started < cfg.deadline:
            proc = _start_client(settings, workdir / "client.log")
            runs += 1
            if _kill_after(proc, proxy, rng.randint(*cfg.kill_after_bytes), cfg.kill_by_seconds):
                kills += 1
                note(f"client SIGKILLed ({kills}/{cfg.kills}) after {proxy.stats.bytes_up} bytes up in all")
            else:
                note(f"client run {runs} finished by itself (rc={proc.returncode}){_last_error(proc, workdir)}")
            if kills == cfg.hub_restart_after_kill and restarts == 0:
                hub.restart(token)
                restarts += 1
                note("hub killed and restarted")
            if not results:
                on_hub = _received(hub_db)
                if on_hub:  # results for what has arrived so far flow back while sending continues
                    results.update(_set_results(hub_db, on_hub[: len(on_hub) // 2], rng))
                    note(f"hub set {len(results)} results mid-run")
        while time.monotonic() - started < cfg.deadline:
            proc = _start_client(settings, workdir / "client.log")
            runs += 1
            proc.wait(max(1.0, cfg.deadline - (time.monotonic() - started)))
            note(f"client run {runs} exited rc={proc.returncode}{_last_error(proc, workdir)}")
            if proc.returncode == 0:
                break
        on_hub = _received(hub_db)
        remaining = sorted(set(on_hub) - set(results))
        results.update(_set_results(hub_db, remaining, rng))
        note(f"hub set {len(remaining)} more results; final pull")
        proc = _start_client(settings, workdir / "client.log")
        runs += 1
        proc.wait(max(5.0, cfg.deadline - (time.monotonic() - started)))
    finally:
        for p in [locals().get("proc")]:
            if p is not None and p.poll() is None:
                p.kill()
        bytes_up = proxy.stats.bytes_up
        proxy.stop()
        hub.kill()

    on_hub = _received(hub_db)
    hub_store = open_hub_store(hub_db)
    with hub_store.read() as session:
        listed = service.list_cases(session, hub_files)
    checked = check_history(read_history(sorted(workdir.glob("**/history.jsonl"))), hub_store)
    log.append(f"history: {checked.summary()}")
    hub_store.dispose()
    files_ok, files_bad = 0, []
    for case in listed:
        for f in case["files"]:
            if f["stored_sha256"] == f["sha256"] == expected.get(f["attachment_id"]):
                files_ok += 1
            else:
                files_bad.append(f["attachment_id"])
    missing_files = set(expected) - {f["attachment_id"] for c in listed for f in c["files"]}
    files_bad.extend(sorted(missing_files))
    with client.read() as session:
        client_results = {c.case_no: c.result for c in session.scalars(select(Case))}
    status = read_status(client)
    client.dispose()
    results_missing = sorted(no for no, res in results.items() if client_results.get(no) != res)
    return SoakResult(
        cases_seeded=len(numbers), cases_on_hub=len(set(on_hub)), duplicates=len(on_hub) - len(set(on_hub)),
        files_ok=files_ok, files_bad=files_bad, results_set=len(results),
        results_on_client=sum(1 for no, res in results.items() if client_results.get(no) == res),
        results_missing=results_missing, client_rejected=status.rejected, client_parked=status.parked, kills=kills, hub_restarts=restarts, client_runs=runs,
        seconds=time.monotonic() - started, payload_bytes=payload_bytes, wire_bytes_up=bytes_up, log=log,
        history=checked.to_json())


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
