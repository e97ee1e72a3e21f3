"""The kill loop of issue 20: accepting processes SIGKILLed N times, then the orphan sweep.

    .venv/bin/python benchmarks/bench_orphan_sweep.py            # 40 kills
    .venv/bin/python benchmarks/bench_orphan_sweep.py --kills 10

Each round starts ``tests/app/test_case_kill.py``'s child (accepting cases with one scan each, forever) and kills
it with SIGKILL — every fourth round at a named point between the scans' fsync and the commit, the others after a
random number of progress lines. Then every case is checked whole (its files byte-identical), the unreferenced
files are counted, ``app.orphans.sweep_files`` runs (``min_age`` 0: the files are minutes old here), and the
unreferenced files are counted again (target 0) with every case still whole. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.orphans import sweep_files, unreferenced_files
from app.store import open_store
from tests.app._case_kit import prepare
from tests.app.test_case_kill import CHILD, REPO, _check_whole_or_nothing, _run_child
from tests.hall_clock import CLOCK

POINTS = ("after_files", "after_flush", "before_commit")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = f"sqlite:///{root / 'counter.db'}"
        store = open_store(url)
        prepare(store)
        store.dispose()
        script = root / "child.py"
        script.write_text(CHILD.format(repo=str(REPO)), encoding="utf-8")
        files = root / "files"
        done: set[str] = set()
        for i in range(args.kills):
            point = POINTS[(i // 4) % len(POINTS)] if i % 4 == 0 else ""
            lines, _ = _run_child(url, files, script, point=point, after=rng.randrange(0, 3),
                                  kill_after_lines=None if point else rng.randrange(2, 16))
            done |= {line.split()[1] for line in lines if line.startswith("done")}
        cases = _check_whole_or_nothing(url, files, done)
        store = open_store(url, upgrade=False)
        try:
            before = len(unreferenced_files(store, files))
            report = sweep_files(store, files, clock=CLOCK, min_age=dt.timedelta(0))
            after = len(unreferenced_files(store, files))
        finally:
            store.dispose()
        whole_after = _check_whole_or_nothing(url, files, done)
    print(json.dumps({"kills": args.kills, "cases": cases, "cases_whole_after_sweep": whole_after,
                      "unreferenced_before_sweep": before, "quarantined": len(report.quarantined),
                      "unreferenced_after_sweep": after, "seconds": round(time.monotonic() - started, 1),
                      "load_avg": os.getloadavg()}, ensure_ascii=False))
    return 0 if after == 0 and whole_after == cases else 1


if __name__ == "__main__":
    raise SystemExit(main())
