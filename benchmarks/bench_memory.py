"""The clerk window's memory through a day: RSS after the window opens, after the first case (accepted through
the screen, its papers rendered and the print preview opened and closed, as with ``counter.auto_print``), and
every 10 cases up to 100 — today's tree and the one before issue 21 side by side in one run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_memory.py [--cases 100] [--before REV] [--trace]

Target (issue 21): the clerk window ≤ 250 MB RSS after a case, and through a day of 100 cases (a 4 GB village
PC). Each tree runs in a child process of its own (``--child``), extracted with ``git archive`` for ``--before``;
each tree starts once first (as a clerk's PC has, with its caches written), then
the day's child prints its RSS (``/proc/self/statm``; psutil elsewhere). ``--trace`` also runs tracemalloc around the
first case in today's tree and prints where the new Python memory was allocated (top 12 by file and line), which
is how the ~40 MB after one case was found. The load average is printed (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import psutil

        return float(psutil.Process().memory_info().rss) / 2**20


def child(cases: int, trace: bool, data: Path) -> None:
    """Runs in the tree being measured (cwd): prints ``rss <label> <MB>`` lines."""
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import gc
    import tracemalloc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication, QDialog

    from tests.ui._counter_kit import APPLICANT_ID, LOAN, demo_ctx, demo_store
    from ui.application import make_qapp
    from ui.counter import CounterWindow

    app = make_qapp()
    store = demo_store(data)
    ctx = demo_ctx(data, store, auto_print=True)
    print(f"rss start {rss_mb():.1f}", flush=True)
    window = CounterWindow(ctx)
    window.show()
    app.processEvents()
    intake = window.intake
    assert intake.resources is not None
    matter = intake.resources.index.get(LOAN)
    assert matter is not None
    print(f"rss window {rss_mb():.1f}", flush=True)

    def accept_one() -> None:
        intake.applicant.id_edit.setText(APPLICANT_ID)
        intake.applicant.name_edit.setText("其木格")
        intake.search.choose(matter)
        intake.checklist.mark_all_received()
        intake.submit(refuse=False)
        app.processEvents()
        for dialog in app.topLevelWidgets():  # the clerk prints (or closes) the preview before the next case
            if isinstance(dialog, QDialog) and dialog.isVisible():
                dialog.close()
                dialog.deleteLater()
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # what the event loop does

    if trace:
        tracemalloc.start(25)
        before = tracemalloc.take_snapshot()
    accept_one()
    gc.collect()
    print(f"rss case1 {rss_mb():.1f}", flush=True)
    if trace:
        after = tracemalloc.take_snapshot()
        for stat in after.compare_to(before, "traceback")[:12]:
            # the allocating line, and the first line of this project's code on the way to it
            ours = next((str(f) for f in reversed(stat.traceback) if "site-packages" not in f.filename
                         and "/lib/python3" not in f.filename and "<frozen" not in f.filename), "")
            print(f"trace {stat.size_diff / 2**20:7.2f} MB  {stat.count_diff:+7d} blocks  {stat.traceback[-1]}"
                  f"  <- {ours}", flush=True)
        tracemalloc.stop()
    for n in range(2, cases + 1):
        accept_one()
        if n % 10 == 0:
            print(f"rss case{n} {rss_mb():.1f}", flush=True)
    QApplication.processEvents()
    os._exit(0)  # PySide6 may crash tearing down leftover Qt objects; the figures are printed


def run_child(tree: Path, cases: int, trace: bool, data: Path) -> dict[str, float]:
    cmd = [sys.executable, str(REPO / "benchmarks" / "bench_memory.py"), "--child", "--cases", str(cases),
           "--data", str(data)]
    out = subprocess.run(cmd + (["--trace"] if trace else []), cwd=tree, capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")})
    figures: dict[str, float] = {}
    for line in out.stdout.splitlines():
        if line.startswith("rss "):
            _, label, mb = line.split()
            figures[label] = float(mb)
        elif line.startswith("trace "):
            print("  " + line[6:])
    if "case1" not in figures:
        raise SystemExit(f"the soak in {tree} failed:\n{out.stderr[-3000:]}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--before", default=None, help="git revision to compare with ('' = today's tree only)")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.cases, args.trace, args.data)
        return
    sys.path.insert(0, str(REPO))
    from benchmarks.before import BEFORE
    from benchmarks.bench_startup import extract

    before = BEFORE if args.before is None else args.before
    print(f"load average before: {os.getloadavg()}")
    tmp = Path(tempfile.mkdtemp(prefix="zc-bench-mem-trees-"))
    try:
        trees = {"after": REPO}
        if before:
            trees = {"before": extract(before, tmp / "before"), **trees}
        for name, tree in trees.items():
            if args.trace and name == "after":
                print("tracemalloc, the first case (today's tree): new Python allocations by line")
            data = tmp / f"data-{name}"
            data.mkdir()
            run_child(tree, 1, False, data)  # a first start on this PC (its caches written), then the day
            f = run_child(tree, args.cases, args.trace and name == "after", data)
            soak = [v for k, v in f.items() if k.startswith("case")]
            verdict = "meets" if max(soak) <= 250 else "MISSES"
            steps = " ".join(f"{k[4:]}:{v:.0f}" for k, v in f.items() if k.startswith("case") and k != "case1")
            print(f"{name:<7} RSS MB: start {f['start']:.0f}, window {f['window']:.0f}, after a case "
                  f"{f['case1']:.0f}, max through {len(soak)} cases {max(soak):.0f} ({verdict} ≤ 250 MB) "
                  f"[by case: {steps}]")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average after:  {os.getloadavg()}")


if __name__ == "__main__":
    main()
