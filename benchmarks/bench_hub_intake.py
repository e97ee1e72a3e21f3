"""Hub intake at a county's scale: N simulated counters push a day's cases with scans to ``python -m sync.server``
on PostgreSQL with 1, 2 and 4 worker processes, side by side in one run.

    .venv/bin/python benchmarks/bench_hub_intake.py                       # 300 counters × 10 cases, 1/2/4 workers
    .venv/bin/python benchmarks/bench_hub_intake.py --counters 300 --cases 10 --workers 1 4 --scan-kb 40

Each counter is an aiohttp task with its own connection (one process, asyncio: the load generator shares the
machine's two cores with the hub, as the figures say). A case is what the relay sends: its scan by tus
creation-with-upload (one POST /files/ carrying the bytes and their sha1), then the case in POST /v1/cases. Per
case the time from the scan's first byte to the case's answer is measured; cases/s is over the whole run. A private
PostgreSQL cluster is started (tests/conftest.py's), with fsync on unless --no-fsync. Prints one JSON line per
worker count with the load average at its start and end; afterwards every case is checked at the hub once.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from sqlalchemy import func, select

from sync.server import service
from sync.server.hubdb import open_hub_store
from sync.server.models import HubCase
from sync.testbed import HubProcess

REPO = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields from the 3rd (state) on: comm may hold spaces


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of every live process in process group ``pgid`` (the hub: its supervisor and
    workers), plus what the group's reaped children used."""
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None and int(fields[2]) == pgid:
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / CLOCK_TICKS


def postgres_cpu(data_dir: Path) -> float:
    """CPU seconds of the cluster: the postmaster, its live children, and its reaped children (backends that
    closed: the kernel adds their time to the postmaster's cutime/cstime)."""
    master = int((data_dir / "postmaster.pid").read_text().split()[0])
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            if int(entry.name) == master:
                total += sum(int(x) for x in fields[11:15])
            elif int(fields[1]) == master:
                total += sum(int(x) for x in fields[11:13])
    return total / CLOCK_TICKS


def enrol_counters(db: str, count: int) -> list[tuple[str, str]]:
    """``count`` devices, each bound to its own point (hall code), in one transaction."""
    store = open_hub_store(db)
    try:
        with store.write() as session:
            return [(f"15{i:04d}", service.add_device(session, f"counter-{i:04d}", f"15{i:04d}"))
                    for i in range(count)]
    finally:
        store.dispose()


def case_item(hall: str, n: int, scan: bytes, attachment_id: str) -> dict[str, Any]:
    case_id = str(uuid.uuid4())
    return {"op_id": str(uuid.uuid4()), "kind": "case.accept", "case_id": case_id, "payload": {
        "id": case_id, "case_no": f"{hall}-{n:05d}", "hall_code": hall, "matter_code": "150929-SB-002",
        "matter_name": "城乡居民养老保险参保登记", "applicant": {"name": "测试申请人"}, "state": "accepted",
        "decision": "normal", "service_date": "2026-11-23",
        "attachments": [{"id": attachment_id, "material_key": "id_card", "filename": "身份证.jpg",
                         "path": f"x/{attachment_id}.jpg", "sha256": hashlib.sha256(scan).hexdigest(),
                         "size": len(scan), "mime": "image/jpeg"}]}}


async def upload(session: aiohttp.ClientSession, url: str, auth: dict[str, str], scan: bytes, att: str,
                 errors: list[str]) -> bool:
    meta = f"attachment_id {base64.b64encode(att.encode()).decode()}"
    checksum = "sha1 " + base64.b64encode(hashlib.sha1(scan).digest()).decode()
    async with session.post(f"{url}/files/", data=scan, headers={
            **auth, "Tus-Resumable": "1.0.0", "Upload-Length": str(len(scan)), "Upload-Metadata": meta,
            "Content-Type": "application/offset+octet-stream", "Upload-Checksum": checksum}) as r:
        if r.status != 201 or r.headers.get("Upload-Offset") != str(len(scan)):
            errors.append(f"upload {r.status}: {await r.text()}")
            return False
    return True


async def counter(session: aiohttp.ClientSession, url: str, hall: str, token: str, cases: int, scan_bytes: int,
                  rng: random.Random, latencies: list[float], errors: list[str], *, batch: int,
                  interval: float, origin: float) -> None:
    """One counter: its cases in batches of ``batch`` (each batch's scans first, then one POST /v1/cases, as the
    relay does). ``interval`` > 0: open loop, batch k is due at ``origin + k × interval`` (a random phase per
    counter) and its cases' latency counts from that instant, so time spent queueing behind a slow hub counts
    too; 0: closed loop, each batch as soon as the last one was answered."""
    auth = {"Authorization": f"Bearer {token}"}
    phase = rng.uniform(0, interval)
    for k, first in enumerate(range(0, cases, batch)):
        due = origin + phase + k * interval
        if interval:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
        started = due if interval else time.perf_counter()
        items = []
        for n in range(first, min(first + batch, cases)):
            scan = rng.randbytes(scan_bytes)
            att = str(uuid.uuid4())
            if await upload(session, url, auth, scan, att, errors):
                items.append(case_item(hall, n, scan, att))
        if not items:
            continue
        async with session.post(f"{url}/v1/cases", json={"items": items}, headers=auth) as r:
            body = await r.json() if r.status == 200 else {}
            outcomes = [res.get("outcome") for res in body.get("results") or []]
            if r.status != 200 or outcomes != ["accepted"] * len(items):
                errors.append(f"cases {r.status}: {body or await r.text()}")
                continue
        done = time.perf_counter()
        latencies.extend([done - started] * len(items))


async def drive(url: str, devices: list[tuple[str, str]], cases: int, scan_bytes: int, seed: int, *, batch: int,
                rate: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    # Open loop at ``rate`` cases/s over all counters: each counter sends a batch every len(devices)·batch/rate s.
    interval = len(devices) * batch / rate if rate else 0.0
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(counter(session, url, hall, token, cases, scan_bytes, random.Random(seed + i),
                                       latencies, errors, batch=batch, interval=interval, origin=started)
                               for i, (hall, token) in enumerate(devices)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"cases": len(latencies), "errors": len(errors), "first_errors": errors[:3],
            "seconds": round(elapsed, 2), "cases_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "max_ms": round(latencies[-1] * 1000, 1) if latencies else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counters", type=int, default=300)
    parser.add_argument("--cases", type=int, default=10, help="cases per counter (a day at a township point)")
    parser.add_argument("--scan-kb", type=int, default=40, help="size of each case's scan (KiB)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--no-fsync", action="store_true", help="PostgreSQL without fsync (faster, not real)")
    parser.add_argument("--batch", type=int, default=1, help="cases per POST /v1/cases (the relay sends up to 10)")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="open loop: offered cases/s over all counters (0: closed loop, as fast as answered)")
    parser.add_argument("--before", metavar="REV", help="also run the hub as it was at git revision REV (from a "
                        "temporary worktree, same database, generator and machine), each worker count before/after")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    from tests.conftest import PgCluster

    cluster = PgCluster(Path(tempfile.mkdtemp(prefix="zc-bench-hub-")), fsync=not args.no_fsync)
    cluster.start()
    ok = True
    codes: list[tuple[str, Path]] = [("after", REPO)]
    if args.before:
        old = Path(tempfile.mkdtemp(prefix="zc-bench-hub-before-")) / "repo"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), args.before], cwd=REPO, check=True)
        # As it was then: without httptools and uvloop (added since), which uvicorn would pick up from this venv.
        # A module of that name on the old checkout's path (ahead of site-packages) hides each one.
        for hidden in ("httptools", "uvloop"):
            (old / f"{hidden}.py").write_text(f"raise ImportError('{hidden}: hidden for the before run')\n")
        codes.insert(0, (f"before {args.before}", old))
    try:
        for workers, (code, repo) in itertools.product(args.workers, codes):
            db = cluster.new_database()
            devices = enrol_counters(db, args.counters)
            with tempfile.TemporaryDirectory() as tmp:
                hub = HubProcess(db, Path(tmp) / "hub-files", workers=workers, repo=repo).start(devices[0][1])
                assert hub.proc is not None
                load_before = os.getloadavg()
                cpu_before = (group_cpu(hub.proc.pid), postgres_cpu(cluster.data), time.process_time())
                try:
                    figures = asyncio.run(drive(hub.url, devices, args.cases, args.scan_kb * 1024, args.seed,
                                                batch=args.batch, rate=args.rate))
                    cpu_after = (group_cpu(hub.proc.pid), postgres_cpu(cluster.data), time.process_time())
                finally:
                    load_after = os.getloadavg()
                    hub.kill()
            done = max(figures["cases"], 1)
            figures["cpu_ms_per_case"] = {
                what: round((after - before) * 1000 / done, 2)
                for what, before, after in zip(("hub", "postgres", "generator"), cpu_before, cpu_after, strict=True)}
            store = open_hub_store(db)
            with store.read() as session:
                on_hub = int(session.scalar(select(func.count()).select_from(HubCase)) or 0)
                distinct = int(session.scalar(select(func.count(func.distinct(HubCase.case_no)))) or 0)
            store.dispose()
            ok &= figures["errors"] == 0 and on_hub == distinct == figures["cases"]
            print(json.dumps({"code": code, "workers": workers, "counters": args.counters, "cases_per_counter": args.cases,
                              "scan_kb": args.scan_kb, "batch": args.batch, "rate": args.rate, "fsync": not args.no_fsync, **figures,
                              "on_hub_once": on_hub == distinct == figures["cases"],
                              "load_avg_before": [round(x, 2) for x in load_before],
                              "load_avg_after": [round(x, 2) for x in load_after], "cpus": os.cpu_count()},
                             ensure_ascii=False), flush=True)
    finally:
        cluster.stop()
        for _, repo in codes[:-1]:
            subprocess.run(["git", "worktree", "remove", "--force", str(repo)], cwd=REPO, check=False)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
