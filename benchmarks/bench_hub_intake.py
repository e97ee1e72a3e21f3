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
import json
import os
import random
import statistics
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


async def counter(session: aiohttp.ClientSession, url: str, hall: str, token: str, cases: int, scan_bytes: int,
                  rng: random.Random, latencies: list[float], errors: list[str]) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    for n in range(cases):
        scan = rng.randbytes(scan_bytes)
        att = str(uuid.uuid4())
        meta = f"attachment_id {base64.b64encode(att.encode()).decode()}"
        checksum = "sha1 " + base64.b64encode(hashlib.sha1(scan).digest()).decode()
        started = time.perf_counter()
        async with session.post(f"{url}/files/", data=scan, headers={
                **auth, "Tus-Resumable": "1.0.0", "Upload-Length": str(len(scan)), "Upload-Metadata": meta,
                "Content-Type": "application/offset+octet-stream", "Upload-Checksum": checksum}) as r:
            if r.status != 201 or r.headers.get("Upload-Offset") != str(len(scan)):
                errors.append(f"upload {r.status}: {await r.text()}")
                continue
        async with session.post(f"{url}/v1/cases", json={"items": [case_item(hall, n, scan, att)]},
                                headers=auth) as r:
            body = await r.json() if r.status == 200 else {}
            outcome = (body.get("results") or [{}])[0].get("outcome")
            if outcome != "accepted":
                errors.append(f"case {r.status}: {body or await r.text()}")
                continue
        latencies.append(time.perf_counter() - started)


async def drive(url: str, devices: list[tuple[str, str]], cases: int, scan_bytes: int, seed: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(counter(session, url, hall, token, cases, scan_bytes, random.Random(seed + i),
                                       latencies, errors) for i, (hall, token) in enumerate(devices)))
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
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    from tests.conftest import PgCluster

    cluster = PgCluster(Path(tempfile.mkdtemp(prefix="zc-bench-hub-")), fsync=not args.no_fsync)
    cluster.start()
    ok = True
    try:
        for workers in args.workers:
            db = cluster.new_database()
            devices = enrol_counters(db, args.counters)
            with tempfile.TemporaryDirectory() as tmp:
                hub = HubProcess(db, Path(tmp) / "hub-files", workers=workers).start(devices[0][1])
                load_before = os.getloadavg()
                try:
                    figures = asyncio.run(drive(hub.url, devices, args.cases, args.scan_kb * 1024, args.seed))
                finally:
                    load_after = os.getloadavg()
                    hub.kill()
            store = open_hub_store(db)
            with store.read() as session:
                on_hub = int(session.scalar(select(func.count()).select_from(HubCase)) or 0)
                distinct = int(session.scalar(select(func.count(func.distinct(HubCase.case_no)))) or 0)
            store.dispose()
            ok &= figures["errors"] == 0 and on_hub == distinct == figures["cases"]
            print(json.dumps({"workers": workers, "counters": args.counters, "cases_per_counter": args.cases,
                              "scan_kb": args.scan_kb, "fsync": not args.no_fsync, **figures,
                              "on_hub_once": on_hub == distinct == figures["cases"],
                              "load_avg_before": [round(x, 2) for x in load_before],
                              "load_avg_after": [round(x, 2) for x in load_after], "cpus": os.cpu_count()},
                             ensure_ascii=False), flush=True)
    finally:
        cluster.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
