"""The catalog at a real hall's scale: a 1,200-matter 实施清单 (``catalog_gen.py``: 27 departments, 10,000+ material
rows, merged cells) imported, validated and searched.

Run: ``.venv/bin/python benchmarks/bench_catalog_scale.py [--rounds 3]``. Targets (issue 16): import ≤ 10 s (reading
the .xlsx, checking every matter, storing the version in SQLite), catalog validation ≤ 2 s (``check_catalog`` of the
TOML files the import writes for the hub), search ≤ 5 ms p95 per keystroke with pinyin initials, full pinyin, codes
and the names people say (办低保, 开饭店). Wall time and this thread's CPU time are both printed: the machine is
shared, and the CPU time is what the code costs when a core is free.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.catalog.importer import plan_import
from app.catalog.loader import check_catalog
from app.catalog.search import MatterIndex
from app.catalog.sheet import load_mapping
from app.catalog.store import import_catalog
from app.catalog.writer import write_catalog_dir
from app.store import open_store
from benchmarks.catalog_gen import matters, write_csv, write_xlsx

# What a clerk types, by kind; each is typed one keystroke at a time.
QUERIES: dict[str, list[str]] = {
    "pinyin initials": ["zdshbz", "spjyxk", "gtgshdj", "jmsfzhl", "bdcdj", "ylbx"],
    "full pinyin": ["zuidishenghuo", "shipinjingying", "hunyindengji", "gongjijintiqu"],
    "codes": ["11152523", "0001003", "000800601"],
    "names people say": ["办低保", "开饭店", "上户口", "换身份证", "bdb", "kfd"],
    "Chinese names": ["食品经营许可", "最低生活保障", "个体工商户登记 变更", "道路货物运输"],
}


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float, object]:
    """(median wall seconds, median CPU seconds, last result)."""
    walls, cpus, result = [], [], None
    for _ in range(rounds):
        t, c = time.perf_counter(), time.thread_time()
        result = fn()
        cpus.append(time.thread_time() - c)
        walls.append(time.perf_counter() - t)
    return statistics.median(walls), statistics.median(cpus), result


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[max(int(len(xs) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = matters(1200)
    mapping = load_mapping(None)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        xlsx, csv = root / "清单.xlsx", root / "清单.csv"
        write_xlsx(xlsx, items)
        write_csv(csv, items)
        rows = sum(len(m.materials) for m in items)
        print(f"1,200 matters, {rows} material rows; .xlsx {xlsx.stat().st_size / 1e6:.1f} MB, "
              f"GB18030 .csv {csv.stat().st_size / 1e6:.1f} MB")

        def read(path: Path):  # type: ignore[no-untyped-def]
            return plan_import(path, mapping=mapping, current=None, version="2026.12.07.1", issued="2026-12-07")

        wall, cpu, plan = timed(lambda: read(xlsx), args.rounds)
        print(f"read + check .xlsx         wall {wall:6.2f} s   cpu {cpu:6.2f} s")
        wall_c, cpu_c, _ = timed(lambda: read(csv), args.rounds)
        print(f"read + check .csv          wall {wall_c:6.2f} s   cpu {cpu_c:6.2f} s")
        catalog = plan.catalog  # type: ignore[attr-defined]
        assert len(catalog.matters) == 1200 and not plan.issues  # type: ignore[attr-defined]

        def store_once() -> int:
            db = root / f"c{time.monotonic_ns()}.sqlite"
            store = open_store(f"sqlite:///{db}")
            try:
                with store.write() as session:
                    return import_catalog(session, catalog, source="bench")
            finally:
                store.dispose()

        wall_s, cpu_s, _ = timed(store_once, args.rounds)
        print(f"store the version (SQLite) wall {wall_s:6.2f} s   cpu {cpu_s:6.2f} s")
        print(f"import total (.xlsx)       wall {wall + wall_s:6.2f} s   cpu {cpu + cpu_s:6.2f} s   target ≤ 10 s")
        folder = root / "toml"
        write_catalog_dir(catalog, folder)
        size = sum(p.stat().st_size for p in folder.iterdir())
        wall_v, cpu_v, report = timed(lambda: check_catalog(folder), args.rounds)
        assert report.ok  # type: ignore[attr-defined]
        print(f"validate the TOML files    wall {wall_v:6.2f} s   cpu {cpu_v:6.2f} s   target ≤ 2 s "
              f"({len(list(folder.iterdir()))} files, {size / 1e6:.1f} MB)")

    t = time.perf_counter()
    index = MatterIndex(catalog)
    print(f"search index build         {(time.perf_counter() - t) * 1000:6.0f} ms")
    everything: list[float] = []
    for kind, queries in QUERIES.items():
        typed: list[float] = []
        cpu_typed: list[float] = []
        for _round in range(5):
            for query in queries:
                index.search("")
                for k in range(1, len(query) + 1):
                    t, c = time.perf_counter(), time.thread_time()
                    index.search(query[:k])
                    cpu_typed.append(time.thread_time() - c)
                    typed.append(time.perf_counter() - t)
        everything += typed
        print(f"search, {kind:<18} n={len(typed):4d}  p95 {p95(typed) * 1000:5.2f} ms  "
              f"(cpu {p95(cpu_typed) * 1000:5.2f})  max {max(typed) * 1000:5.2f} ms")
    print(f"search, every keystroke     n={len(everything):4d}  p95 {p95(everything) * 1000:5.2f} ms   target ≤ 5 ms")
    for query in ("办低保", "开饭店", "bdb", "11152523"):
        top = index.search(query, limit=3)
        print(f"  {query!r:>12} → {'；'.join(m.name for m in top)}")
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
