"""Hostile requests against the hub run as ``python -m sync.server`` (its own process, as in production).

    .venv/bin/python benchmarks/bench_hub_fuzz.py                  # 100,000 requests, seed 20
    .venv/bin/python benchmarks/bench_hub_fuzz.py --requests 20000 --seed 7
    .venv/bin/python benchmarks/bench_hub_fuzz.py --requests 30000 --pg --workers 2   # PostgreSQL, as a county runs it

``--pg`` starts a private PostgreSQL cluster (as tests/conftest.py does; removed afterwards): its type and length
checks are stricter than SQLite's, so a value SQLite stores could be a 5xx there.

The generator is ``sync.hubfuzz`` (the CI test sends 10,000 of them to a hub thread). Prints one JSON line: requests
sent, answers per status, 5xx count (target 0), connections the hub closed without an answer (raw non-HTTP bytes),
whether the hub still served a good case afterwards, requests per second and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from sync.hubfuzz import good_item, run_fuzz
from sync.testbed import HubProcess, add_device


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--pg", action="store_true", help="the hub on a private PostgreSQL cluster (default SQLite)")
    parser.add_argument("--workers", type=int, default=1, help="hub worker processes")
    args = parser.parse_args()
    cluster = None
    if args.pg:
        from tests.conftest import PgCluster

        cluster = PgCluster(Path(tempfile.mkdtemp(prefix="zc-bench-fuzz-")))
        cluster.start()
    try:
        return fuzz(args, cluster)
    finally:
        if cluster is not None:
            cluster.stop()
            shutil.rmtree(cluster.root, ignore_errors=True)


def fuzz(args: argparse.Namespace, cluster: Any) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = cluster.new_database() if cluster is not None else f"sqlite:///{root / 'hub.db'}"
        token = add_device(db, "fuzz", hall_code="150929")
        hub = HubProcess(db, root / "hub-files", workers=args.workers).start(token)
        try:
            auth = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
            uploads = [requests.post(f"{hub.url}/files/", headers={**auth, "Upload-Length": "64"}, timeout=10)
                       .headers["Location"].rsplit("/", 1)[1] for _ in range(3)]
            started = time.monotonic()
            result = run_fuzz("127.0.0.1", hub.port, token, args.requests, seed=args.seed, upload_ids=uploads)
            elapsed = time.monotonic() - started
            alive = requests.post(f"{hub.url}/v1/cases", json={"items": [good_item()]}, headers=auth, timeout=10)
            still_up = alive.status_code == 200 and alive.json()["results"][0]["outcome"] == "accepted"
        finally:
            hub.kill()
    print(json.dumps({"store": "postgresql" if cluster is not None else "sqlite", "workers": args.workers,
                      "requests": result.sent, "five_xx": result.five_xx, "dropped": result.dropped,
                      "statuses": dict(sorted(result.statuses.items())), "hub_still_up": still_up,
                      "requests_per_s": round(result.sent / elapsed), "first_5xx": result.server_errors[:3],
                      "load_avg": os.getloadavg()}, ensure_ascii=False))
    return 0 if result.five_xx == 0 and still_up else 1


if __name__ == "__main__":
    raise SystemExit(main())
