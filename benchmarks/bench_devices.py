"""Device figures: QR in a camera frame, cleaning a document photo, and card → form data through the simulator.

    .venv/bin/python benchmarks/bench_devices.py [--runs N]

Targets (issue 7): a QR in a 1280×720 frame ≤ 30 ms; a document photo cleaned ≤ 300 ms; a card placed on a
115200-baud reader to its data in the form ≤ 1.5 s (here: to the poller's callback, which fills the form).
Test images are generated the way the tests make them (tests/app/test_codes_photo.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import cv2

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.devices.codes import decode_frame  # noqa: E402
from app.devices.photo import clean_document  # noqa: E402
from app.devices.reader import CardPoller, open_reader  # noqa: E402
from app.devices.simulator import ReaderSimulator  # noqa: E402
from app.settings import Settings  # noqa: E402

CLOCK = Settings().hall_clock()  # the hall's clock (ZC_CLOCK_AT stands it at an instant)


def _images_module():  # the page/photo generator lives with the tests
    spec = importlib.util.spec_from_file_location("device_images", REPO / "tests/app/test_codes_photo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ms(samples: list[float]) -> str:
    s = sorted(samples)
    return f"median {statistics.median(s) * 1000:7.1f} ms   p90 {s[int(len(s) * 0.9) - 1] * 1000:7.1f} ms   max {s[-1] * 1000:7.1f} ms"


def bench_qr(images, runs: int) -> None:
    frame = cv2.resize(images.make_photo(images.make_page()), (1280, 720), interpolation=cv2.INTER_AREA)
    samples, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        codes = decode_frame(frame)
        samples.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        assert images.TICKET in [c.text for c in codes]
    print(f"QR + Code128 in a 1280×720 frame (decode_frame):   {_ms(samples)}   target ≤ 30 ms")
    print(f"  CPU time (less sensitive to other load):         {_ms(cpu)}")


def bench_clean(images, runs: int) -> None:
    for label, photo in (
        ("1920×1080 document-camera frame", images.make_photo(images.make_page())),
        (
            "4000×3000 phone photo          ",
            images.make_photo(images.make_page(width=2000), size=(4000, 3000)),
        ),
    ):
        samples, sizes, cpu = [], [], []
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            page = clean_document(photo)
            samples.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            sizes.append(len(page.jpeg))
        print(
            f"clean page, {label}:   {_ms(samples)}   JPEG {max(sizes) / 1024:.0f} KB   target ≤ 300 ms, ≤ 300 KB"
        )
        print(f"  CPU time:                                        {_ms(cpu)}")


def bench_card(runs: int) -> None:
    samples = []
    with ReaderSimulator(baud=115200) as sim:
        got = threading.Event()
        form: dict[str, str] = {}

        def fill_form(card) -> None:
            form.update(card.to_json())  # what the counter screen copies into its fields
            got.set()

        poller = CardPoller(lambda: open_reader(sim.port, today=CLOCK.today), on_card=fill_form)  # default 0.3 s poll interval
        poller.start()
        try:
            for _ in range(runs):
                got.clear()
                t = time.perf_counter()
                sim.place("resident")
                if not got.wait(5):
                    raise SystemExit("the card was never reported")
                samples.append(time.perf_counter() - t)
                sim.remove()
                time.sleep(0.7)  # let the poller see the card gone before the next placement
        finally:
            poller.stop()
        with open_reader(sim.port, today=CLOCK.today) as reader:
            sim.place("resident")
            read = []
            for _ in range(runs):
                t = time.perf_counter()
                reader.read_card()
                read.append(time.perf_counter() - t)
    print(f"card placed → form data, 115200 baud, poller:      {_ms(samples)}   target ≤ 1.5 s")
    print(f"  of which find+select+read (1295-byte answer):    {_ms(read)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    images = _images_module()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"({os.cpu_count()} cores, load average {load:.1f} at start)")
    bench_qr(images, args.runs * 3)
    bench_clean(images, args.runs)
    bench_card(max(5, args.runs // 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
