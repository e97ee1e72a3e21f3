"""Sync on weak links: goodput per link profile, chunks re-sent per interruption, time to resume, and a soak.

    .venv/bin/python benchmarks/bench_sync_soak.py                 # all parts (~5 min + ~20 min soak)
    .venv/bin/python benchmarks/bench_sync_soak.py --cases 1000 --parts soak
    .venv/bin/python benchmarks/bench_sync_soak.py --parts goodput,interrupt,resume

Parts:
  goodput    one case with one large attachment over each bandwidth-limited profile (GPRS 40 kbit/s 600 ms RTT,
             rural 3G 250 kbit/s 250 ms, VSAT 128 kbit/s 600 ms); goodput = attachment bytes / wall time of the
             whole relay pass (probe, tus create, chunks, case POST, change pull) / link rate. Target ≥ 80 %.
  interrupt  a 600 KB upload on rural 3G with the connection reset every ~4 s; chunks re-sent per interruption
             (failed PATCHes / resets). Target ≤ 1.
  resume     a VSAT upload with a black-hole outage (default 30 s) in the middle; seconds from the link's return
             to the next byte the hub confirms, with the production timeouts (connect 10 s, read 90 s). Target ≤ 60 s.
  soak       N cases with attachments (default 1000) through a link with outages (black hole and refused), the
             client (``python -m app sync run --until-idle``) SIGKILLed at random points and the hub restarted;
             checks every case exactly once, every file byte-identical, every result back at the client.
Targets come from docs/sync.md. Figures print as JSON lines.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.store import open_store
from sync.faultproxy import PROFILES, FaultProxy, LinkProfile
from sync.hub_client import HubConfig
from sync.relay import Relay, RelayOptions
from sync.soak import SoakConfig, run_soak
from sync.testbed import HubThread, add_device, seed_cases


def emit(obj: dict[str, object]) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


class Bed:
    """Hub thread + fault proxy + client store with one case of one attachment of ``size`` bytes."""

    def __init__(self, root: Path, profile: LinkProfile, size: int, *, timeouts: tuple[float, float] = (10, 90)):
        root.mkdir(parents=True, exist_ok=True)
        db = f"sqlite:///{root / 'hub.db'}"
        self.token = add_device(db, "bench")
        self.hub = HubThread(db, root / "hub-files").start()
        self.proxy = FaultProxy(("127.0.0.1", self.hub.port), profile=profile, seed=1).start()
        self.client = open_store(f"sqlite:///{root / 'client.db'}")
        seed_cases(self.client, root / "files", 1, attachments=1, size_range=(size, size))
        config = HubConfig(f"http://127.0.0.1:{self.proxy.port}", self.token, connect_timeout=timeouts[0],
                           read_timeout=timeouts[1])
        self.relay = Relay(self.client, config, files_dir=root / "files", data_dir=root,
                           options=RelayOptions(backoff_base=0.5, backoff_cap=2.0, offline_probe_seconds=1.0))
        self.size = size

    def close(self) -> None:
        self.relay.close()
        self.proxy.stop()
        self.hub.stop()
        self.client.dispose()


def part_goodput(root: Path, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        profile = PROFILES[name]
        bed = Bed(root / f"goodput-{name}", profile, size)
        started = time.monotonic()
        report = bed.relay.run_until_idle(timeout=1200)
        elapsed = time.monotonic() - started
        assert profile.rate_bps is not None
        ideal = size * 8 / profile.rate_bps
        emit({"part": "goodput", "profile": name, "rate_kbit": profile.rate_bps / 1000,
              "rtt_ms": round(profile.latency * 2000), "bytes": size, "seconds": round(elapsed, 1),
              "ideal_seconds": round(ideal, 1), "goodput_pct": round(100 * ideal / elapsed, 1),
              "chunks": bed.relay.counters.uploads.chunks, "final_chunk_kib": bed.relay.sizer.size // 1024,
              "wire_overhead_pct": round(100 * (bed.proxy.stats.bytes_up - size) / size, 1),
              "sent": report.sent})
        bed.close()


def part_interrupt(root: Path, size: int, every: float) -> None:
    bed = Bed(root / "interrupt", PROFILES["rural3g"], size, timeouts=(10, 30))
    resets = 0
    done = threading.Event()

    def chaos() -> None:
        nonlocal resets
        while not done.wait(every):
            bed.proxy.reset_all()
            resets += 1

    threading.Thread(target=chaos, daemon=True).start()
    started = time.monotonic()
    report = bed.relay.run_until_idle(timeout=900)
    done.set()
    up = bed.relay.counters.uploads
    # A reset between chunks (during a HEAD or the case POST) costs no chunk; count what actually failed.
    emit({"part": "interrupt", "profile": "rural3g", "bytes": size, "resets": resets,
          "chunks_ok": up.chunks, "chunks_failed": up.chunks_failed,
          "chunks_resent_per_interruption": round(up.chunks_failed / max(resets, 1), 2),
          "bytes_confirmed_by_patch": up.bytes_sent,  # the rest was learnt from HEAD after a lost answer "wire_bytes_up": bed.proxy.stats.bytes_up,
          "seconds": round(time.monotonic() - started, 1), "sent": report.sent})
    bed.close()


def part_resume(root: Path, size: int, outage: float) -> None:
    bed = Bed(root / "resume", PROFILES["vsat"], size)
    result: dict[str, object] = {}

    def run() -> None:
        result["report"] = bed.relay.run_until_idle(timeout=1200)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    while bed.relay.counters.uploads.bytes_sent < size // 4:
        time.sleep(0.1)
    bed.proxy.outage("blackhole")
    time.sleep(outage)
    before = bed.relay.counters.uploads.bytes_sent
    bed.proxy.up()
    back = time.monotonic()
    while bed.relay.counters.uploads.bytes_sent == before and worker.is_alive():
        time.sleep(0.05)
    resumed = time.monotonic() - back
    worker.join(1200)
    report = result.get("report")
    emit({"part": "resume", "profile": "vsat", "outage_seconds": outage, "resume_seconds": round(resumed, 1),
          "chunks_failed": bed.relay.counters.uploads.chunks_failed,
          "sent": getattr(report, "sent", None)})
    bed.close()


def part_soak(root: Path, cases: int, profile: LinkProfile, kills: int, seed: int,
              kill_after_bytes: tuple[int, int]) -> None:
    # Outages of 30–180 s spread over the first ~17 minutes, black holes and refusals alternating.
    outages = [(20.0, "blackhole", 30.0), (90.0, "refuse", 45.0), (200.0, "blackhole", 60.0),
               (330.0, "refuse", 90.0), (520.0, "blackhole", 180.0), (800.0, "refuse", 120.0),
               (1000.0, "blackhole", 30.0)]
    cfg = SoakConfig(cases=cases, attachments=2, size_range=(2_000, 6_000), profile=profile, kills=kills,
                     kill_after_bytes=kill_after_bytes, kill_by_seconds=60.0,
                     hub_restart_after_kill=max(1, kills // 2),
                     outages=outages,
                     backoff_base=2.0, backoff_cap=30.0, connect_timeout=10.0, read_timeout=20.0,
                     chunk_target_seconds=11.5, deadline=3600.0, seed=seed)
    result = run_soak(root / "soak", cfg, say=lambda line: print("   ", line, flush=True))
    emit({"part": "soak", "profile": profile.name, **result.to_json(),
          "files_bad": len(result.files_bad), "results_missing": len(result.results_missing)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="goodput,interrupt,resume,soak")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--outage", type=float, default=30.0)
    parser.add_argument("--soak-profile", choices=sorted(PROFILES), default="weak4g",
                        help="link profile of the soak (gprs/vsat/rural3g make 1,000 cases take hours)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--kill-after-bytes", type=int, nargs=2, default=(50_000, 400_000), metavar=("MIN", "MAX"),
                        help="each client run is SIGKILLed once it has sent this many bytes (or after 60 s)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    root = Path(tempfile.mkdtemp(prefix="zc-soak-"))
    try:
        if "goodput" in parts:
            part_goodput(root, {"gprs": 200_000, "vsat": 400_000, "rural3g": 800_000})
        if "interrupt" in parts:
            part_interrupt(root, 600_000, every=4.0)
        if "resume" in parts:
            part_resume(root, 600_000, args.outage)
        if "soak" in parts:
            part_soak(root, args.cases, PROFILES[args.soak_profile], args.kills, args.seed,
                      tuple(args.kill_after_bytes))
    finally:
        if args.keep:
            print(f"work directory kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
