"""The password check at login: argon2id verify with the chosen parameters next to the old ones, in one run.

    .venv/bin/python benchmarks/bench_login.py [--runs N]

Target (issue 21): ≤ 150 ms per check on a 2-core hall PC, with the recommended memory cost kept (OWASP / RFC
9106: 19 MiB with 2 passes). "before" is argon2-cffi's default (RFC 9106 low memory: 64 MiB, t=3, p=4), which the
store used until issue 21; "after" is ``app.auth``'s hasher. Also times a whole ``authenticate`` (verify + audit
row, SQLite) and the one-off rehash of an old hash on the first good login. Prints min / median of the runs and the
load average (the machine is shared).
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


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def show(label: str, times: list[float]) -> None:
    print(f"{label:<52} min {min(times) * 1000:7.1f} ms   median {statistics.median(times) * 1000:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from argon2 import PasswordHasher

    from app import auth
    from app.store import open_store
    from app.store.models import Clerk, Hall
    from tests.hall_clock import CLOCK

    print(f"load average before: {os.getloadavg()}")
    password = "Secret-123"
    old = PasswordHasher()  # time_cost=3, memory_cost=65536, parallelism=4 (argon2-cffi 23 default)
    new = auth._hasher
    old_hash, new_hash = old.hash(password), new.hash(password)
    print(f"before: {old_hash.split('$')[3]}   after: {new_hash.split('$')[3]}")
    show("verify, before (argon2-cffi default)", timed(lambda: old.verify(old_hash, password), args.runs))
    show("verify, after (app.auth)", timed(lambda: new.verify(new_hash, password), args.runs))

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        with store.write() as session:
            session.add(Hall(code="150929", name="四子王旗政务服务中心"))
            session.flush()
            clerk_id = auth.create_clerk(session, hall_code="150929", username="clerk01", name="其木格",
                                         role="clerk", password=password)

        def login() -> None:
            auth.authenticate(store, "clerk01", password, host="bench", clock=CLOCK)

        def set_old() -> None:
            with store.write() as session:
                session.get_one(Clerk, clerk_id).password_hash = old.hash(password)

        rehash = []
        for _ in range(args.runs):
            set_old()
            rehash.extend(timed(login, 1))
        show("authenticate, old hash (verify + rehash + audit)", rehash)
        show("authenticate, after (verify + audit)", timed(login, args.runs))
        store.dispose()
    print(f"load average after:  {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
