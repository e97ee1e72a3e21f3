"""Counter-screen figures: what a clerk waits for on each keystroke and click.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_counter_ui.py

Prints the median (and 95th percentile) of: the live decision update per checklist change, ID validation per
keystroke, a matter search (index + list rebuild), a login (argon2id verify + audit), opening the counter window
(catalog, pinyin index, calendar) and accepting one case through the screen (one transaction, fsynced).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def measure(fn: Callable[[], object], n: int) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1 if len(times) > 1 else 0]


def show(label: str, median: float, p95: float, unit: str = "ms") -> None:
    scale = 1000 if unit == "ms" else 1_000_000
    print(f"{label:<44} median {median * scale:9.2f} {unit}   p95 {p95 * scale:9.2f} {unit}")


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from app import auth
    from app.demo import DEMO_PASSWORD
    from tests.ui._counter_kit import APPLICANT_ID, LOAN, demo_ctx, demo_store
    from ui.counter import CounterWindow

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="zc-bench-"))
    t0 = time.perf_counter()
    store = demo_store(tmp)
    print(f"{'seed demo hall (first time, fsync-bound)':<44} {time.perf_counter() - t0:9.2f} s")
    ctx = demo_ctx(tmp, store)

    med, p95 = measure(lambda: auth.authenticate(store, "clerk01", DEMO_PASSWORD, host="bench", clock=ctx.clock), 10)
    show("login (argon2id verify + audit row)", med, p95)

    windows: list[CounterWindow] = []
    med, p95 = measure(lambda: windows.append(CounterWindow(ctx)), 5)
    show("open counter window (catalog+index+calendar)", med, p95)
    window = windows[-1]
    window.show()
    intake = window.intake
    assert intake.resources is not None
    matter = intake.resources.index.get(LOAN)
    assert matter is not None

    edit = intake.applicant.id_edit

    def type_id() -> None:
        edit.clear()
        for i in range(1, len(APPLICANT_ID) + 1):
            edit.setText(APPLICANT_ID[:i])

    med, p95 = measure(type_id, 50)
    show("ID validation, per keystroke", med / len(APPLICANT_ID), p95 / len(APPLICANT_ID), "us")
    intake.applicant.name_edit.setText("其木格")

    queries = ["公积金", "gjj", "sydj", "不动产登记", "150929-SB", "登记", "yl", "个体工商户"]
    search = intake.search

    def one_search() -> None:
        for q in queries:
            search.edit.setText(q)
            search.run_search()

    med, p95 = measure(one_search, 30)
    show("matter search (index + list), per query", med / len(queries), p95 / len(queries))

    search.choose(matter)
    checklist = intake.checklist
    checklist.mark_all_received()
    states = ["deferred", "original", "missing", "original"]
    counter = iter(range(10**9))

    def one_change() -> None:
        checklist.set_state("income", states[next(counter) % len(states)])

    med, p95 = measure(one_change, 2000)
    show("live decision per checklist change", med, p95, "us")

    def accept_one() -> None:
        edit.setText(APPLICANT_ID)
        intake.applicant.name_edit.setText("其木格")
        search.choose(matter)
        checklist.mark_all_received()
        intake.submit(refuse=False)

    med, p95 = measure(accept_one, 20)
    show("accept one case via the screen (fsynced)", med, p95)
    for w in windows:
        w.close()
    store.dispose()
    app.processEvents()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # PySide6 can crash while the interpreter tears down leftover Qt objects; the figures are printed already.
    os._exit(code)
