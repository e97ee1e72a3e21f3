"""Benchmark: what sealing ID numbers and phones at rest (issue 20, ``app/store/crypto.py``) costs.

Three figures:

1. per field: one AES-256-GCM seal, one open, one blind index (HMAC-SHA256) of an ID number, in µs (median of
   ``--fields`` calls each);
2. an acceptance (the same request as ``bench_accept.py``: checklist, case, outbox, audit, one transaction), and
3. a lookup by ID number (``search_cases`` by the full number, the clerk's search box),

each measured twice in this process on two fresh SQLite stores holding ``--background`` cases: the real store,
and one whose engine is given keys that store the text as it is (``ClearKeys``: ``seal``/``open`` are the
identity, the blind index is the same HMAC — a lookup by ID needs it either way). The difference is the cost
of sealing; the number of seals and opens per operation is counted too.

Run: ``.venv/bin/python benchmarks/bench_sealing.py [--background 20000] [--accepts 200] [--lookups 500]``.
Prints the figures and the load average (the machine may be shared). A benchmark, not a test: it exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_accept import CLOCK, HALL, MATTER, background, percentile, person_id, request

from app.cases.service import accept, current_matter
from app.cases.views import search_cases
from app.catalog.payload import matter_to_payload
from app.catalog.store import ensure_catalog
from app.store import Store, open_store
from app.store.crypto import DataKeys, bind_keys, keys_of
from app.store.models import Hall
from app.workdays import default_calendar


class CountingKeys(DataKeys):
    """The store's own keys, counting how many values each operation seals and opens."""

    seals = 0
    opens = 0

    def seal(self, text: str, *, label: str) -> str:
        CountingKeys.seals += 1
        return super().seal(text, label=label)

    def open(self, token: str, *, label: str) -> str:
        CountingKeys.opens += 1
        return super().open(token, label=label)


class ClearKeys(DataKeys):
    """The baseline: values stored as they are (only for this benchmark's throwaway store)."""

    def seal(self, text: str, *, label: str) -> str:
        return text

    def open(self, token: str, *, label: str) -> str:
        return token


def per_call_us(action: Callable[[], object], n: int) -> float:
    timings = []
    for _ in range(n):
        t0 = time.perf_counter()
        action()
        timings.append((time.perf_counter() - t0) * 1e6)
    return statistics.median(timings)


def prepare(url: str, background_cases: int, keys_class: type[DataKeys]) -> tuple[Store, DataKeys]:
    store = open_store(url, key_file=Path(url.removeprefix("sqlite:///")).with_suffix(".key"))
    keys = keys_of(store.engine.dialect)
    swapped = keys_class(**{f.name: getattr(keys, f.name) for f in dataclasses.fields(keys)})
    bind_keys(store.engine.dialect, swapped)  # before anything personal is written
    with store.write() as session:
        session.add(Hall(code=HALL, name="四子王旗政务服务中心"))
    version_id, _catalog = ensure_catalog(store)
    with store.read() as session:
        found = current_matter(session, MATTER)
    assert found is not None
    background(store, background_cases, version_id, matter_to_payload(found[1]))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return store, swapped


def interleaved(stores: dict[str, Store], tmp: Path, accepts: int, lookups: int,
                background_cases: int) -> dict[str, tuple[list[float], ...]]:
    """Each accept and lookup is made on both stores in turn (the first one alternating), so a change of the
    machine's load falls on both alike. Per store: accept wall ms, lookup wall ms, accept CPU ms, lookup CPU ms
    (the CPU time of this process, less sensitive to a shared machine's load)."""
    calendar = default_calendar()
    timings: dict[str, tuple[list[float], ...]] = {name: ([], [], [], []) for name in stores}
    names = list(stores)
    for n in range(accepts):
        for name in names if n % 2 else reversed(names):
            req = request(background_cases + n)  # numbers not in the background: each lookup finds one case
            t0, c0 = time.perf_counter(), time.process_time()
            accept(stores[name], req, files_dir=tmp / name / "files", clock=CLOCK, calendar=calendar)
            timings[name][0].append((time.perf_counter() - t0) * 1000)
            timings[name][2].append((time.process_time() - c0) * 1000)
    for n in range(lookups):
        number = person_id(background_cases + n % accepts)
        for name in names if n % 2 else reversed(names):
            t0, c0 = time.perf_counter(), time.process_time()
            with stores[name].read() as session:
                hits = search_cases(session, text=number)
            timings[name][1].append((time.perf_counter() - t0) * 1000)
            timings[name][3].append((time.process_time() - c0) * 1000)
            assert hits, f"lookup of {number} found nothing"
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--background", type=int, default=20_000)
    parser.add_argument("--accepts", type=int, default=200)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--fields", type=int, default=20_000)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-sealing-"))

    sealed_store, sealed_keys = prepare(f"sqlite:///{(tmp / 'sealed.db').as_posix()}", args.background,
                                        CountingKeys)
    clear_store, _ = prepare(f"sqlite:///{(tmp / 'clear.db').as_posix()}", args.background, ClearKeys)

    number, label = person_id(7), "case.applicant_id_no"
    token = sealed_keys.seal(number, label=label)
    seal_us = per_call_us(lambda: sealed_keys.seal(number, label=label), args.fields)
    open_us = per_call_us(lambda: sealed_keys.open(token, label=label), args.fields)
    index_us = per_call_us(lambda: sealed_keys.blind_index(number), args.fields)
    print(f"per field (median of {args.fields:,}): seal {seal_us:.1f} µs  open {open_us:.1f} µs  "
          f"blind index {index_us:.1f} µs")

    CountingKeys.seals = CountingKeys.opens = 0
    results = interleaved({"sealed": sealed_store, "clear": clear_store}, tmp, args.accepts, args.lookups,
                          args.background)
    seals, opens = CountingKeys.seals, CountingKeys.opens
    print(f"store: SQLite, {args.background:,} cases in the background; {args.accepts} accepts, "
          f"{args.lookups} lookups by full ID number each")
    for what, index in (("accept", 0), ("lookup by ID", 1)):
        s, c = results["sealed"][index], results["clear"][index]
        s_cpu, c_cpu = statistics.median(results["sealed"][index + 2]), statistics.median(results["clear"][index + 2])
        print(f"{what:>13}: wall p50 sealed {statistics.median(s):.2f} / clear {statistics.median(c):.2f} ms, "
              f"p95 {percentile(s, 0.95):.2f} / {percentile(c, 0.95):.2f} ms; "
              f"CPU p50 sealed {s_cpu:.2f} / clear {c_cpu:.2f} ms ({s_cpu - c_cpu:+.2f} ms)")
    total = args.accepts + args.lookups
    print(f"sealed store: {seals:,} seals and {opens:,} opens over {total} operations "
          f"(≈ {(seals * seal_us + opens * open_us) / 1000 / total:.3f} ms of crypto per operation at the "
          "per-field cost)")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sealed_store.dispose()
    clear_store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
