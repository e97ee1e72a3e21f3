"""A village day's backlog over weak links: 60 cases with scans, the wall time of sending them all as a ratio to
the raw link time, per link profile — the naive client, the relay before issue 21 and today's, in one run.

    .venv/bin/python benchmarks/bench_sync_village.py [--profiles gprs,vsat,rural3g] [--cases 60] [--before REV]

Target (issue 21): ≤ 1.3× the raw link time on GPRS (40 kbit/s, RTT 600 ms).

Each run: a fresh hub (``sync.testbed.HubThread``) behind the userspace weak-link proxy (``sync.faultproxy``, the
profiles of docs/sync.md), a client store seeded with ``--cases`` accepted cases of 2 scans each (3–6 KB, random
bytes: scans do not compress), and the clock runs from the first request to the last case confirmed by the hub
(``run_until_idle`` for the relays). Raw link time = (scan bytes + the cases' JSON bodies) × 8 / link rate: what
the link needs if every byte it carries is payload and it is never idle.

- naive: for each case, each scan by one tus creation-with-upload request, then the case by one JSON POST, each
  waiting for its reply (what a straightforward client does).
- before: the relay at ``--before`` (default: main before issue 21) — its tree extracted with ``git archive`` and
  run in a child process, hub included, so it is today's figure as it was.
- after: today's relay and hub (requests pipelined, JSON gzipped).

One run of each per profile (a GPRS run takes minutes); the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def scenario(root: Path, profile_name: str, cases: int, client: str) -> dict[str, Any]:
    """Runs in the tree being measured (cwd first on sys.path)."""
    from app.store import open_store
    from app.store.models import Outbox
    from sync.faultproxy import PROFILES, FaultProxy
    from sync.hub_client import HubConfig
    from sync.relay import Relay, RelayOptions
    from sync.testbed import HubThread, add_device, seed_cases

    root.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{root / 'hub.db'}"
    token = add_device(db, "village")
    hub = HubThread(db, root / "hub-files").start()
    profile = PROFILES[profile_name]
    store = open_store(f"sqlite:///{root / 'client.db'}")
    seed_cases(store, root / "files", cases, attachments=2, size_range=(3_000, 6_000), seed=7)
    with store.read() as session:
        rows = [(r.op_id, r.kind, r.case_id, dict(r.payload), r.sha256)
                for r in session.query(Outbox).order_by(Outbox.seq)]
    scan_bytes = sum(int(a["size"]) for _op, _k, _c, p, _s in rows for a in p.get("attachments") or [])
    body_bytes = sum(len(json.dumps(p, ensure_ascii=False).encode()) for _op, _k, _c, p, _s in rows)
    proxy = FaultProxy(("127.0.0.1", hub.port), profile=profile, seed=1).start()
    config = HubConfig(f"http://127.0.0.1:{proxy.port}", token)
    started = time.monotonic()
    if client == "naive":
        naive(config, root / "files", rows)
    else:
        relay = Relay(store, config, files_dir=root / "files", data_dir=root,
                      options=RelayOptions(backoff_base=0.5, backoff_cap=2.0, offline_probe_seconds=1.0))
        report = relay.run_until_idle(timeout=3600)
        relay.close()
        assert report.pending == 0 and report.sent == cases, report
    seconds = time.monotonic() - started
    up = proxy.stats.bytes_up
    proxy.stop()
    hub.stop()
    store.dispose()
    assert profile.rate_bps is not None
    raw = (scan_bytes + body_bytes) * 8 / profile.rate_bps
    return {"profile": profile_name, "client": client, "cases": cases, "seconds": round(seconds, 1),
            "raw_seconds": round(raw, 1), "ratio": round(seconds / raw, 2), "bytes_up": up,
            "payload_bytes": scan_bytes + body_bytes}


def naive(config: Any, files_dir: Path, rows: list[tuple[str, str, str, dict[str, Any], str]]) -> None:
    """One request at a time: each scan, then the case, each waiting for its reply."""
    from sync.hub_client import HubClient
    from sync.tus_client import TusUploader

    hub = HubClient(config)
    tus = TusUploader(hub)
    for op_id, kind, case_id, payload, sha in rows:
        for att in payload.get("attachments") or []:
            data = (files_dir / att["path"]).read_bytes()
            tus.create_with(data, meta={"filename": att["filename"], "attachment_id": att["id"],
                                        "case_id": case_id, "sha256": att["sha256"], "mime": att["mime"]})
        results = hub.request("POST", "v1/cases", json={"items": [{"op_id": op_id, "kind": kind, "case_id": case_id,
                                                                    "payload": payload, "sha256": sha}]}).json()
        assert results["results"][0]["outcome"] in ("accepted", "replay"), results
    hub.close()


def run_child(tree: Path, root: Path, profile: str, cases: int, client: str) -> dict[str, Any]:
    cmd = [sys.executable, str(REPO / "benchmarks" / "bench_sync_village.py"), "--child", client,
           "--root", str(root), "--profiles", profile, "--cases", str(cases)]
    out = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, timeout=7200)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"{client} on {profile} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(lines[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", default="gprs,vsat,rural3g")
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--before", default=None, help="git revision of the old relay ('' = skip)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(scenario(args.root, args.profiles, args.cases, args.child), ensure_ascii=False),
              flush=True)
        return
    sys.path.insert(0, str(REPO))
    from benchmarks.before import BEFORE
    from benchmarks.bench_startup import extract

    before = BEFORE if args.before is None else args.before
    print(f"load average before: {os.getloadavg()}")
    tmp = Path(tempfile.mkdtemp(prefix="zc-bench-village-"))
    try:
        old = extract(before, tmp / "before") if before else None
        for profile in args.profiles.split(","):
            line = []
            for client, tree in (("naive", REPO), ("before", old), ("after", REPO)):
                if tree is None:
                    continue
                f = run_child(tree, tmp / f"{profile}-{client}", profile, args.cases,
                              "relay" if client != "naive" else "naive")
                print(json.dumps({**f, "client": client}, ensure_ascii=False), flush=True)
                line.append(f"{client} {f['ratio']:.2f}× ({f['seconds']:.0f} s, {f['bytes_up'] / 1000:.0f} kB up)")
            verdict = ""
            if profile == "gprs":
                verdict = " — target ≤ 1.30×"
            print(f"{profile}: raw link time {f['raw_seconds']:.0f} s; " + "; ".join(line) + verdict, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average after:  {os.getloadavg()}")


if __name__ == "__main__":
    main()
