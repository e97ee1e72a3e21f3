"""Counter-screen device figures: a card placed on the (simulated, 115200-baud) reader until its name is in the
applicant field of the real counter window, and a camera frame until the cleaned JPEG is attached.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_counter_card.py [--runs N]

Target (issue 7): card placed → form filled ≤ 1.5 s with the default 0.3 s poll interval.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def spin(app: QApplication, cond: object, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.002)
    if not cond():  # type: ignore[operator]
        raise SystemExit("timed out")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from ui.refcounts import pin_refcounts

    pin_refcounts()  # the PySide6 6.12 refcount bugs (docs/counter-ui.md)
    app = QApplication(sys.argv)
    from app.devices.simulator import SAMPLE_CARDS, ReaderSimulator
    from tests.ui._counter_kit import demo_ctx, demo_store
    from tests.ui.test_counter_devices import photographed_page
    from ui.counter import CounterWindow

    tmp = Path(tempfile.mkdtemp(prefix="bench-counter-card-"))
    store = demo_store(tmp)
    ctx = demo_ctx(tmp, store)
    sim = ReaderSimulator()
    ctx.settings.counter.reader_port = sim.port
    window = CounterWindow(ctx)
    window.show()
    name = SAMPLE_CARDS["resident"]["name"]
    edit = window.intake.applicant.name_edit
    reader = window.card_reader
    assert reader is not None
    removed: list[int] = []
    reader.card_removed.connect(lambda: removed.append(1))
    times = []
    for _ in range(args.runs):
        window.intake.clear()
        start = time.perf_counter()
        sim.place("resident")
        spin(app, lambda: edit.text() == name)
        times.append(time.perf_counter() - start)
        before = len(removed)
        sim.remove()
        spin(app, lambda b=before: len(removed) > b)
    print(f"card placed → applicant filled (poll 0.3 s, {args.runs} runs): median {statistics.median(times):.3f} s, "
          f"max {max(times):.3f} s")

    matters = window.intake.resources.index.search("公积金贷款")  # type: ignore[union-attr]
    window.intake.set_matter(matters[0])
    photo = photographed_page()
    image = QImage(photo.data, photo.shape[1], photo.shape[0], photo.strides[0], QImage.Format.Format_BGR888).copy()
    shots = []
    for _ in range(max(3, args.runs // 2)):
        start = time.perf_counter()
        window.intake.attach_photo("contract", image)  # the demo context runs tasks inline: this is the whole job
        shots.append(time.perf_counter() - start)
    print(f"camera frame 1600×1200 → cleaned JPEG attached: median {statistics.median(shots) * 1000:.0f} ms, "
          f"max {max(shots) * 1000:.0f} ms")
    window.close()
    sim.close()
    store.dispose()


if __name__ == "__main__":
    main()
