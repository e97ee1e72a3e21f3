"""ID checks per second in one process (target ≥ 50,000/s), plus the cost of the first call and of ``import app``.

Run: .venv/bin/python benchmarks/bench_identity.py
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from datetime import date, timedelta


def build_numbers(count: int) -> list[str]:
    from app.divisions import division_table
    from app.identity import credit_check_char, id_check_digit, org_check_char

    rng = random.Random(7)
    codes = [c for c in ("150929", "150102", "152502", "110105", "440305", "650102", "152129")
             if c in division_table()]
    numbers: list[str] = []
    for i in range(count):
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(30_000))
        body = rng.choice(codes) + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
        number = body + id_check_digit(body)
        if i % 10 == 0:  # one in ten mistyped
            number = number[:-1] + ("0" if number[-1] != "0" else "1")
        if i % 25 == 0:  # some organisations
            org = f"{rng.randrange(10**8):08d}"
            cbody = "91150929" + org + org_check_char(org)
            number = cbody + credit_check_char(cbody)
        if i % 40 == 0:  # legacy 15-digit
            number = number[:6] + number[8:17]
        numbers.append(number)
    return numbers


def main() -> None:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import app"], capture_output=True, text=True)
    total_us = 0
    for line in out.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == "app":
            total_us = int(parts[1])
    print(f"import app (cumulative, -X importtime): {total_us / 1000:.1f} ms")
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import app.identity, app.workdays"],
                         capture_output=True, text=True)
    worst = max(int(line.split("|")[1]) for line in out.stderr.splitlines()[1:] if line.count("|") == 2)
    print(f"import app.identity + app.workdays (largest cumulative entry): {worst / 1000:.1f} ms")

    from app.clock import HallClock
    from app.identity import check_id

    today = HallClock().today()
    t0 = time.perf_counter()
    check_id("150929199003071230", today=today)
    print(f"first check (loads division table): {(time.perf_counter() - t0) * 1000:.1f} ms")

    numbers = build_numbers(200_000)
    for number in numbers[:1000]:
        check_id(number, today=today)
    # CPU time as well as wall time: on a shared 2-core machine other work steals the wall clock.
    best_wall = best_cpu = 0.0
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        valid = sum(1 for number in numbers if check_id(number, today=today).valid)
        best_wall = max(best_wall, len(numbers) / (time.perf_counter() - t0))
        best_cpu = max(best_cpu, len(numbers) / (time.process_time() - c0))
    print(f"check_id: {best_wall:,.0f} numbers/s wall, {best_cpu:,.0f} numbers/s CPU, over {len(numbers):,} "
          f"mixed numbers ({valid:,} valid) — target 50,000/s")

    from app.workdays import default_calendar

    cal = default_calendar()
    t0 = time.perf_counter()
    start = date(2024, 1, 2)
    n = 0
    while start < date(2026, 11, 1):
        cal.add_workdays(start, 20)
        start += timedelta(days=1)
        n += 1
    elapsed = time.perf_counter() - t0
    print(f"add_workdays(…, 20): {n / elapsed:,.0f} calls/s")
    print(f"total bench time: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
