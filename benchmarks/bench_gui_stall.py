"""GUI-thread stalls at the counter: the longest time the event loop could not run while a clerk accepts cases,
looks cases up, and the background relay pushes cases with attachments to a hub over a weak link.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui_stall.py [--cases 40] [--profile gprs]

A 5 ms QTimer heartbeat runs on the GUI thread; a stall is how late a beat fires (gap − 5 ms). The counter window
uses the real threaded TaskRunner, a demo-hall SQLite store, and its own SyncService started against a hub
process behind a fault-proxy process (``sync.faultproxy`` profile, default GPRS 40 kbit/s, 600 ms RTT) — as in a
township, neither shares the client's interpreter — with ``--seeded`` cases of two 20–60 KB attachments waiting. Phases:
  idle+sync   the window just sits there while the relay uploads
  accept      N cases accepted through the screen (each waits for its commit), relay still uploading
  lookup      N lookups by name, ID number and 受理编号, relay still uploading
Targets: no stall over 50 ms during accept or lookup (issue 3), none while syncing (issue 6).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BEAT_MS = 5


class Heartbeat:
    """Records how late each 5 ms beat of a GUI-thread timer fires."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.lates: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.lates.append(max(0.0, (now - self._last) * 1000 - BEAT_MS))
        self._last = now

    def start_phase(self) -> None:
        self.lates = []
        self._last = time.perf_counter()
        self.timer.start()

    def report(self, label: str) -> float:
        self.timer.stop()
        lates = sorted(self.lates) or [0.0]
        worst = lates[-1]
        p99 = lates[min(len(lates) - 1, int(len(lates) * 0.99))]
        over = sum(1 for x in lates if x > 50)
        print(f"{label:<12} beats {len(lates):6d}   median late {statistics.median(lates):6.2f} ms   "
              f"p99 {p99:6.2f} ms   worst {worst:7.2f} ms   stalls >50 ms: {over}", flush=True)
        return worst


def pump_until(app: object, done: Callable[[], bool], timeout: float = 30.0) -> None:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("timed out waiting for the counter")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def pump_for(seconds: float) -> None:
    end = time.perf_counter() + seconds
    pump_until(None, lambda: time.perf_counter() >= end)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=40, help="cases accepted and lookups done (default 40)")
    parser.add_argument("--seeded", type=int, default=60, help="cases waiting in the outbox at start (default 60)")
    parser.add_argument("--profile", default="gprs", help="fault-proxy link profile (default gprs)")
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    args = parser.parse_args()

    from sync.testbed import PYTHON, REPO, HubProcess, add_device, free_port, seed_cases
    from tests.ui._counter_kit import APPLICANT_ID, LOAN, demo_ctx, demo_store
    from ui.application import make_qapp
    from ui.counter import CounterWindow
    from ui.tasks import TaskRunner

    app = make_qapp()  # the stylesheet, the CJK font and the PySide6 refcount guard, as in the product
    tmp = Path(tempfile.mkdtemp(prefix="zc-stall-"))
    store = demo_store(tmp)
    hub_db = f"sqlite:///{(tmp / 'hub.db').as_posix()}"
    token = add_device(hub_db, "stall-bench")
    hub = HubProcess(hub_db, tmp / "hub-files").start(token)
    proxy_port = free_port()
    proxy = subprocess.Popen([PYTHON, "-m", "sync.faultproxy", "--listen", str(proxy_port), "--target",
                              f"127.0.0.1:{hub.port}", "--profile", args.profile], cwd=REPO,
                             stdout=subprocess.DEVNULL)

    runner = TaskRunner()
    ctx = demo_ctx(tmp, store, runner=runner)
    ctx.settings.sync.hub_url = f"http://127.0.0.1:{proxy_port}"
    ctx.settings.sync.token = token
    ctx.settings.sync.interval_seconds = 5
    ctx.settings.sync.backoff_base_seconds = 0.5
    ctx.settings.sync.backoff_cap_seconds = 2.0
    seed_cases(store, ctx.settings.files_dir, args.seeded, attachments=2, size_range=(20_000, 60_000),
               hall_code=ctx.hall_code)
    print(f"link {args.profile}; {args.seeded} cases (2 attachments of 20–60 KB each) waiting in the outbox",
          flush=True)

    beat = Heartbeat()
    window = CounterWindow(ctx)
    window.show()
    pump_until(app, lambda: window.intake.resources is not None)
    intake, lookup = window.intake, window.lookup
    assert intake.resources is not None
    matter = intake.resources.index.get(LOAN)
    assert matter is not None
    worst: dict[str, float] = {}

    beat.start_phase()
    end = time.perf_counter() + args.idle_seconds
    pump_until(app, lambda: time.perf_counter() > end, timeout=args.idle_seconds + 5)
    worst["idle+sync"] = beat.report("idle+sync")

    accepted: list[str] = []
    intake.case_accepted.connect(lambda result: accepted.append(result.summary.case_no))
    # A clerk's actions are separate events: each step runs, then the loop turns (as between keystrokes).
    steps: dict[str, Callable[[], object]] = {
        "type ID number": lambda: intake.applicant.id_edit.setText(APPLICANT_ID),
        "type name": lambda: intake.applicant.name_edit.setText("其木格"),
        "choose matter": lambda: intake.search.choose(matter),
        "tick materials": intake.checklist.mark_all_received,
        "click accept": lambda: intake.submit(refuse=False),
    }
    step_ms: dict[str, list[float]] = {name: [] for name in steps}
    beat.start_phase()
    for i in range(args.cases):
        for name, step in steps.items():
            t0 = time.perf_counter()
            step()
            step_ms[name].append((time.perf_counter() - t0) * 1000)
            pump_for(0.02)
        pump_until(app, lambda n=i + 1: len(accepted) >= n)
    worst["accept"] = beat.report("accept")
    for name, values in step_ms.items():
        print(f"  {name:<16} on the GUI thread: median {statistics.median(values):6.2f} ms, "
              f"worst {max(values):6.2f} ms")

    queries = ["其木格", APPLICANT_ID, *accepted[: max(1, args.cases - 2)]]
    window.tabs.setCurrentWidget(lookup)
    beat.start_phase()
    for i in range(args.cases):
        lookup.edit.setText(queries[i % len(queries)])
        lookup.run_lookup()
        pump_until(app, lambda: lookup.message.text() != "正在查询…")
    worst["lookup"] = beat.report("lookup")

    print(f"accepted {len(accepted)} cases through the screen; sync badge: {window.sync_badge.text()}")
    print(f"hub received so far: {hub_case_count(hub_db)} cases")
    verdict = all(v <= 50 for v in worst.values())
    print(f"worst GUI stall {max(worst.values()):.1f} ms — {'within' if verdict else 'OVER'} the 50 ms target")
    proxy.kill()
    hub.kill()
    return 0


def hub_case_count(hub_db: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(hub_db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("select count(*) from hub_case")).scalar_one())
    finally:
        engine.dispose()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
