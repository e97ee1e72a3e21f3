"""What each 绿色通道 rule does to waiting in a simulated 300-ticket day, against first come first served.

One category, 3 windows, 300 tickets arriving over 8 hours (seeded Poisson arrivals, with a morning peak), service
times exponential (mean 4.5 min); 20 % of applicants qualify for 绿色通道. Every ticket goes through the real queue
(``issue_green`` → ``confirm_printed`` → ``call_next`` → ``finish``) on a SQLite store, the hall clock frozen at
each simulated instant. Printed per rule: the longest and mean wait of ordinary and 绿色通道 tickets (minutes).

    .venv/bin/python benchmarks/bench_priority_day.py [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import os
import random
import statistics
import tempfile
from pathlib import Path

from app import queue as q
from app.clock import HallClock
from app.errors import QueueEmpty
from app.queue import priority as pr
from app.store import open_store
from app.store.models import Hall, Window

DAY = dt.date(2026, 3, 10)
T0 = HallClock().at(DAY, dt.time(9))
SCENARIOS = (  # (label, rules, priority_every)
    ("先来先服务 FCFS", None, 0),
    ("jump, priority_every=3", "elder=jump, disabled=jump, military=jump, pregnant=jump", 3),
    ("jump, priority_every=1", "elder=jump, disabled=jump, military=jump, pregnant=jump", 1),
    ("jump, no cap", "elder=jump, disabled=jump, military=jump, pregnant=jump", 10_000),
    ("weight:15", "elder=weight:15, disabled=weight:15, military=weight:15, pregnant=weight:15", 3),
    ("weight:30", "elder=weight:30, disabled=weight:30, military=weight:30, pregnant=weight:30", 3),
)


def workload(seed: int, n: int = 300) -> list[tuple[float, bool, float]]:
    """(arrival minute, green?, service minutes): busier 09:30–11:00, as the seed halls describe."""
    rnd = random.Random(seed)
    arrivals = sorted(rnd.triangular(0, 480, 90) for _ in range(n))
    return [(a, rnd.random() < 0.2, rnd.expovariate(1 / 4.5)) for a in arrivals]


def run(label: str, rules_text: str | None, every: int, work: list[tuple[float, bool, float]]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'q.db'}")
        with store.write() as s:
            s.add(Hall(code="H", name="模拟大厅"))
            s.flush()
            for w in (1, 2, 3):
                s.add(Window(hall_code="H", number=w, name=f"{w} 号", categories=["A"]))
        rules = pr.parse_rules(rules_text or "")
        green_of: dict[int, bool] = {}
        service: dict[int, float] = {}
        waits: dict[int, float] = {}
        events: list[tuple[float, int, str, int]] = []  # (minute, order, kind, payload)
        for i, (a, _g, _d) in enumerate(work):
            heapq.heappush(events, (a, i, "arrive", i))
        free = {1, 2, 3}
        seq = len(work)

        def clock(m: float) -> HallClock:
            return HallClock.frozen(T0 + dt.timedelta(minutes=m))

        while events:
            m, _o, kind, payload = heapq.heappop(events)
            if kind == "arrive":
                _a, green, dur = work[payload]
                if green and rules_text:
                    t, _ = pr.issue_green(store, hall_code="H", category="A", rules=rules, kind="disabled",
                                          clock=clock(m))
                else:
                    t = q.issue_ticket(store, hall_code="H", category="A", clock=clock(m))
                q.confirm_printed(store, t.id, clock=clock(m))
                green_of[t.id], service[t.id] = green, dur
            else:  # a window finishes
                q.finish(store, hall_code="H", window_number=payload, clock=clock(m))
                free.add(payload)
            for w in sorted(free):
                try:
                    t = q.call_next(store, hall_code="H", window_number=w, request_id=None, priority_every=every,
                                    clock=clock(m))
                except QueueEmpty:
                    break
                free.discard(w)
                waits[t.id] = m - (t.issued_at - T0).total_seconds() / 60
                seq += 1
                heapq.heappush(events, (m + service[t.id], seq, "finish", w))
        store.dispose()
    ordinary = [w for i, w in waits.items() if not green_of[i]]
    green = [w for i, w in waits.items() if green_of[i]]
    return {"max_all": max(waits.values()), "max_ord": max(ordinary), "mean_ord": statistics.fmean(ordinary),
            "max_green": max(green), "mean_green": statistics.fmean(green), "served": len(waits)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = workload(args.seed)
    print(f"300 tickets, 3 windows, {sum(g for _a, g, _d in work)} 绿色通道; seed {args.seed}; "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'rule':<26}{'longest wait':>13}{'ordinary max':>14}{'ordinary mean':>15}{'green max':>11}"
          f"{'green mean':>12}")
    for label, rules_text, every in SCENARIOS:
        r = run(label, rules_text, every, work)
        print(f"{label:<26}{r['max_all']:>13.1f}{r['max_ord']:>14.1f}{r['mean_ord']:>15.1f}{r['max_green']:>11.1f}"
              f"{r['mean_green']:>12.1f}")


if __name__ == "__main__":
    main()
