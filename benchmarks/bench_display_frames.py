"""The hall display's frame time with vertical Mongolian text while calls arrive, and whether any call is lost.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_display_frames.py [--frames 600] [--every 3]

A demo-hall SQLite store (the shipped catalog, so the waiting line carries the Mongolian category names) and a
1920×1080 HallDisplay, bilingual (the call in vertical Mongolian columns, the window cards' Mongolian columns, the
recent-calls column, the waiting and notice lines). Each frame: every ``--every`` frames one or two calls (or a
recall) are made at random windows, then the display reads the store as its 1 s timer would (``refresh``: one
read + the label updates, run inline) and paints synchronously (``repaint``). Figures: paint and refresh per
frame (median / p95 / max, ms), and the calls made against the calls the display announced (every call must be
announced once, in order, even two arriving between reads). Target: p95 paint + refresh well under one 60 Hz
frame (16.7 ms) and no dropped call.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--every", type=int, default=3, help="make calls every N frames")
    parser.add_argument("--chinese-only", action="store_true", help="the same with [language] bilingual = off, "
                        "for comparison")
    args = parser.parse_args()

    from app import queue as q
    from app.clock import HallClock
    from app.demo import DEMO_HALL_CODE, seed_demo_hall
    from app.errors import CounterError
    from app.settings import load_settings
    from app.store import open_store
    from ui.application import make_qapp
    from ui.context import AppContext
    from ui.display import HallDisplay
    from ui.tasks import InlineRunner
    from ui.voice import Announcer

    tmp = Path(tempfile.mkdtemp(prefix="zc-bench-display-"))
    url = f"sqlite:///{tmp / 'counter.db'}"
    store = open_store(url)
    seed_demo_hall(store)
    hall, clock = DEMO_HALL_CODE, HallClock()
    with store.read() as s:
        windows = [w.number for w in q.hall_board(s, hall, clock=clock).windows]
        letters = sorted(q.hall_categories(s, hall))
    for i in range(2000):  # a long queue to call from
        t = q.issue_ticket(store, hall_code=hall, category=letters[i % len(letters)], clock=clock)
        q.confirm_printed(store, t.id, clock=clock)

    app = make_qapp()
    settings = load_settings(data_dir=tmp)
    settings.hall.code = hall
    settings.language.bilingual = "off" if args.chinese_only else "on"
    ctx = AppContext(settings=settings, store=store, runner=InlineRunner(), window_number=None, clock=clock)
    announcer = Announcer(speaker=None, auto=False)
    announced: list[tuple[str, int]] = []
    announcer.announce = lambda code, window: announced.append((code, window))  # type: ignore[method-assign]
    display = HallDisplay(ctx, announcer=announcer, interval_ms=3_600_000)  # frames are driven here
    display.timer.stop()
    display.resize(1920, 1080)
    display.show()
    app.processEvents()
    assert display.languages.bilingual != args.chinese_only and display.call_mn.is_vertical()

    def fresh_call(window: int, request_id: str) -> q.TicketView:
        """Serve and finish whatever the window holds, then call its next ticket: always a new call event."""
        for done in (q.start_service, q.finish):
            try:
                done(store, hall_code=hall, window_number=window, clock=clock)
            except CounterError:
                pass  # nothing held there (or already being served)
        return q.call_next(store, hall_code=hall, window_number=window, request_id=request_id, clock=clock)

    rng = random.Random(15)
    made: list[tuple[str, int]] = []
    paint: list[float] = []
    refresh: list[float] = []
    for frame in range(args.frames):
        if frame % args.every == 0:
            for _ in range(rng.choice((1, 1, 1, 2))):  # now and then two calls between reads
                window = rng.choice(windows)
                try:
                    t = q.recall(store, hall_code=hall, window_number=window, clock=clock) if (
                        made and rng.random() < 0.15) else fresh_call(window, f"b{len(made)}")
                except CounterError:  # nothing called at that window to recall
                    t = fresh_call(window, f"b{len(made)}")
                made.append((t.code, window))
        start = time.perf_counter()
        display.refresh()
        app.processEvents()
        middle = time.perf_counter()
        display.repaint()
        end = time.perf_counter()
        refresh.append((middle - start) * 1000)
        paint.append((end - middle) * 1000)

    load = os.getloadavg()
    dropped = len(made) - len(announced)
    in_order = announced == made
    shown = "Chinese only" if args.chinese_only else f"vertical Mongolian call text {display.call_mn.text()!r:.40}…"
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.frames} frames at 1920x1080, {shown}")
    for name, values in (("paint", paint), ("refresh (read + update)", refresh),
                         ("frame (both)", [a + b for a, b in zip(paint, refresh, strict=True)])):
        print(f"{name:24} median {statistics.median(values):6.2f} ms  p95 {_pct(values, 0.95):6.2f} ms  "
              f"max {max(values):6.2f} ms")
    print(f"calls made {len(made)}, announced {len(announced)}, dropped {dropped}, in order: {in_order}")
    if os.environ.get("BENCH_DEBUG"):
        import difflib

        for line in difflib.unified_diff([str(m) for m in made], [str(a) for a in announced], lineterm="", n=1):
            print(line)
    display.close()
    store.dispose()
    return 0 if dropped == 0 and in_order else 1


if __name__ == "__main__":
    sys.exit(main())
