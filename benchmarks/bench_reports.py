"""A day's and a week's supervisor report over a big store: target ≤ 300 ms on SQLite and on PostgreSQL.

  .venv/bin/python benchmarks/bench_reports.py [--cases 1000000] [--tickets 2000000] [--engine sqlite|postgresql|both]
      [--before REV] [--data DIR]

Rows are generated straight into the tables (sqlite3 executemany / PostgreSQL COPY, in batches): one hall,
spread over the working days of 2024-2026 (~1,300 cases and ~2,700 tickets a day), four events per ticket
(issue, print, call, finish), a rating for every third case, and each case's own events as the counter writes
them (受理 for every case; 延期, 暂停计时 and its resumption, 退回补正 for a few). Then the report for several days is timed; the first
run of each day is cold for that day's pages, the figure printed is the median and the worst; the 7-day range is
run 3 times (min / median).

Side by side (issue 21): the same days are also reported by ``app/reports/daily.py`` as it was at ``--before``
(default: main when this stop began), loaded from git into a module of its own. The "before" runs go first, on the
store's indexes as they were before migration 0015, then 0015's index is built and the current code runs; every report of the two must be equal (``to_json()``, drill-down
lists included) or the script fails. The load average is printed before and after (the machine is shared).

``--data DIR`` keeps the generated stores (``DIR/bench.db`` and the PostgreSQL cluster ``DIR/pg``) and reuses them on
the next run with the same ``--cases``/``--tickets`` (written in ``DIR/shape.json``): building 1M cases takes
minutes, the measurement seconds. Without it everything lives in a temporary directory removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from app.reports import daily as daily_now
from app.settings import Settings
from app.store import open_store
from benchmarks.before import load_before

HALL = "150929"
CLOCK = Settings().hall_clock()  # the demo hall's clock (ZC_CLOCK_AT stands it at an instant)
DECISIONS = ["normal"] * 70 + ["deferred"] * 12 + ["pledge"] * 8 + ["refused"] * 10
BATCH = 20_000
KEY_FILE: Path | None = None  # with --data: the kept stores' data key lives beside them (DIR/data.key)


def workdays() -> list[dt.date]:
    day, out = dt.date(2024, 1, 2), []
    while day <= dt.date(2026, 12, 31):
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def utc(day: dt.date, seconds: int) -> dt.datetime:
    return CLOCK.at(day, dt.time(8, 30)) + dt.timedelta(seconds=seconds)


def case_rows(n: int, days: list[dt.date]) -> Iterator[tuple[Any, ...]]:
    rnd = random.Random(1)
    per_day = n / len(days)
    for i in range(n):
        day = days[min(int(i / per_day), len(days) - 1)]
        decision = rnd.choice(DECISIONS)
        accepted = utc(day, rnd.randrange(0, 8 * 3600))
        promised = day + dt.timedelta(days=rnd.randrange(1, 30))
        concluded = (accepted + dt.timedelta(days=rnd.randrange(0, 35))) if decision != "refused" else None
        state = "refused_at_counter" if decision == "refused" else ("approved" if concluded else "forwarded")
        supplement = day + dt.timedelta(days=5) if decision == "deferred" else None
        if decision == "deferred" and rnd.random() < 0.03:
            state, concluded = "awaiting_supplement", None
        m = rnd.randrange(300)
        yield (f"{i:08x}-0000-4000-8000-000000000000", f"{HALL}{day:%Y%m%d}{i:08d}", HALL, 1 + m % 8,
               1 + m % 6, 1, f"M{m:04d}", f"事项{m}", f"部门{m % 25}", "{}", "person", "张三",
               "resident", "150929199001011234", "", "", "", '{"name": "李四"}' if m % 17 == 0 else None,
               decision, "{}", state, "region_wide" if m % 23 == 0 else "local", "", accepted, day, promised,
               promised, supplement, "pickup", "", "", "", "", concluded, None, "", "counter", accepted)


CASE_COLS = ("id, case_no, hall_code, window_number, clerk_id, catalog_version_id, matter_code, matter_name, "
             "department, matter_snapshot, applicant_kind, applicant_name, applicant_id_kind, applicant_id_no, "
             "applicant_phone, applicant_address, legal_rep, proxy, decision, decision_detail, state, scope, "
             "target_region, accepted_at, service_date, promised_due, legal_due, supplement_due, delivery, "
             "mail_address, tracking_no, result, result_note, concluded_at, handed_over_at, flagged, source, "
             "updated_at")
TICKET_COLS = ("id, hall_code, service_date, category, number, code, priority, state, window_number, clerk_id, "
               "queued_at, issued_at, called_at, started_at, finished_at, recall_count, skip_count, id_no, name")
EVENT_COLS = "ticket_id, kind, window_number, at, detail"
CASE_EVENT_COLS = "case_id, kind, from_state, to_state, actor, at, detail"
_ACCEPTED_AT = [c.strip() for c in CASE_COLS.split(",")].index("accepted_at")
_STATE = [c.strip() for c in CASE_COLS.split(",")].index("state")
BEFORE_REPORTS = "18cd5b9"  # main when this stop began (issue 21, third stop): 0012's indexes, no 0015
# Migration 0015's index ("before" runs without it), and indexes it replaces (none).
NEW_INDEXES = {"ix_case_handed_over_at": '"case" (handed_over_at)'}
OLD_INDEXES: dict[str, str] = {}
RATING_COLS = ("hall_code, case_id, window_number, clerk_id, level, overall, efficiency, service, attitude, comment, "
               "at, follow_up_state, follow_up_note, follow_up_by")


def ticket_rows(n: int, days: list[dt.date]) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    rnd = random.Random(2)
    per_day = n / len(days)
    numbers: dict[tuple[dt.date, str], int] = {}
    for i in range(n):
        day = days[min(int(i / per_day), len(days) - 1)]
        cat = "ABCDEFGH"[rnd.randrange(8)]
        num = numbers[(day, cat)] = numbers.get((day, cat), 0) + 1
        issued_s = rnd.randrange(0, 8 * 3600)
        issued = utc(day, issued_s)
        called = utc(day, issued_s + rnd.randrange(30, 3600))
        finished = called + dt.timedelta(seconds=rnd.randrange(120, 1800))
        state = "skipped" if rnd.random() < 0.05 else "done"
        tid = i + 1
        ticket = (tid, HALL, day, cat, num, f"{cat}{num:03d}", "", state, 1 + i % 8, 1 + i % 6, issued, issued,
                  called, called if state == "done" else None, finished if state == "done" else None, 0,
                  2 if state == "skipped" else 0, "", "")
        events = [(tid, "issue", None, issued, "{}"), (tid, "print", None, issued, "{}"),
                  (tid, "call", 1 + i % 8, called, "{}")]
        if state == "done":
            events.append((tid, "finish", 1 + i % 8, finished, "{}"))
        yield ticket, events


def case_event_rows(cases: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The events the counter writes for ``cases``: 受理 for each; 延期 (1 in 50), a §45 stop and its resumption
    (1 in 40, one in four of them still stopped), 退回补正 (1 in 80)."""
    for row in cases:
        case_id, at, state = row[0], row[_ACCEPTED_AT], row[_STATE]
        n = int(case_id[:8], 16)
        yield (case_id, "accept", "", state, "c1", at, "{}")
        if n % 50 == 7:
            yield (case_id, "extend", state, state, "c1", at + dt.timedelta(days=3), '{"days": 10}')
        if n % 40 == 3:
            yield (case_id, "clock_stop", state, state, "c1", at + dt.timedelta(days=2), '{"stop": "expert_review"}')
            if n % 160 != 3:
                yield (case_id, "clock_resume", state, state, "c1", at + dt.timedelta(days=9), "{}")
        if n % 80 == 11:
            yield (case_id, "return", state, state, "hub", at + dt.timedelta(days=4), "{}")


def rating_rows(n_cases: int, days: list[dt.date]) -> Iterator[tuple[Any, ...]]:
    rnd = random.Random(3)
    per_day = n_cases / len(days)
    for i in range(0, n_cases, 3):
        day = days[min(int(i / per_day), len(days) - 1)]
        level = rnd.choice([5, 5, 5, 5, 4, 4, 3, 2, 1])
        yield (HALL, f"{i:08x}-0000-4000-8000-000000000000", 1 + i % 8, 1 + i % 6, level, level, level, level,
               level, "", utc(day, rnd.randrange(0, 9 * 3600)), "open" if level <= 2 else "", "", "")


def batches(it: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in it:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def seed_base(url: str) -> None:
    from app.store.models import CatalogVersion, Clerk, Hall

    store = open_store(url, key_file=KEY_FILE)
    with store.write() as s:
        s.add(Hall(code=HALL, name="四子王旗政务服务中心"))
        s.flush()
        s.add(CatalogVersion(id=1, version="bench", issued="2026-01-01", sha256="0" * 64, current=True))
        for i in range(1, 7):
            s.add(Clerk(id=i, hall_code=HALL, username=f"c{i}", name=f"柜员{i}", password_hash="x"))
    store.dispose()


def _sqlite_datetime(v: dt.datetime) -> str:
    # SQLAlchemy's SQLite storage format: UTC, no zone, microseconds always present.
    return v.astimezone(dt.UTC).isoformat(" ", "microseconds")[:26]


def load_sqlite(path: Path, n_cases: int, n_tickets: int, days: list[dt.date]) -> None:
    # Adapters run inside sqlite3's C loop: far cheaper than converting every value in Python first.
    sqlite3.register_adapter(dt.datetime, _sqlite_datetime)
    sqlite3.register_adapter(dt.date, dt.date.isoformat)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = MEMORY")

    def put(table: str, cols: str, rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" * len(cols.split(",")))
        conn.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)

    for chunk in batches(case_rows(n_cases, days)):
        put("case", CASE_COLS, chunk)
        put("case_event", CASE_EVENT_COLS, list(case_event_rows(chunk)))
    conn.commit()
    for chunk in batches(ticket_rows(n_tickets, days)):
        put("ticket", TICKET_COLS, [t for t, _e in chunk])
        put("ticket_event", EVENT_COLS, [e for _t, evs in chunk for e in evs])
    conn.commit()
    for chunk in batches(rating_rows(n_cases, days)):
        put("rating", RATING_COLS, chunk)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def load_pg(url: str, n_cases: int, n_tickets: int, days: list[dt.date]) -> None:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        def copy(table: str, cols: str, rows: Iterator[tuple[Any, ...]]) -> None:
            with cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as cp:
                for row in rows:
                    cp.write_row(row)

        copy("case", CASE_COLS, case_rows(n_cases, days))
        copy("case_event", CASE_EVENT_COLS, case_event_rows(case_rows(n_cases, days)))  # the same cases again
        events: list[tuple[Any, ...]] = []
        with cur.copy(f'COPY "ticket" ({TICKET_COLS}) FROM STDIN') as cp:
            for ticket, evs in ticket_rows(n_tickets, days):
                cp.write_row(ticket)
                events.extend(evs)
        copy("ticket_event", EVENT_COLS, iter(events))
        del events
        copy("rating", RATING_COLS, rating_rows(n_cases, days))
        cur.execute("SELECT setval(pg_get_serial_sequence('ticket', 'id'), (SELECT max(id) FROM ticket))")
        conn.commit()
        conn.autocommit = True
        cur.execute("VACUUM ANALYZE")


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two reports' JSON equal where both have the part: parts added after the older code (issue 18's help,
    outreach and staff figures, bundles) are compared only where both versions have them."""
    keys = set(a) & set(b)
    drills = set(a["drill"]) & set(b["drill"])

    def part(d: dict[str, Any]) -> dict[str, Any]:
        return {k: ({x: y for x, y in v.items() if x in drills} if k == "drill" else v)
                for k, v in d.items() if k in keys}

    return part(a) == part(b)


def _backend_cpu_s(pid: int | None) -> float:
    """CPU seconds a PostgreSQL backend has used (``/proc``; 0 where unreadable or on SQLite)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


Timings = dict[str, tuple[list[float], list[float], list[float]]]


def measure(url: str, days: list[dt.date], impls: dict[str, Any]) -> Timings:
    """Day and week timings per implementation, "before" first without the new index, then the index built and
    the current code; fails if their reports differ. Besides the wall time, the week's CPU time: this process's
    plus, on PostgreSQL, the backend's (parallel workers not counted) — on a machine shared with other work the
    wall time includes waiting for a core, the CPU time does not."""
    store = open_store(url, upgrade=False, key_file=KEY_FILE)
    picks = [days[len(days) // 5], days[len(days) // 2], days[-40], days[-2], days[len(days) // 3]]
    ranges = [(d, None) for d in picks + picks] + [(picks[1], picks[1] + dt.timedelta(days=6))] * 3
    out: Timings = {name: ([], [], []) for name in impls}
    shown: dict[tuple[dt.date, dt.date | None], dict[str, Any]] = {}
    week: Any = None
    for name, impl in impls.items():
        with store.engine.begin() as conn:
            wanted, unwanted = (OLD_INDEXES, NEW_INDEXES) if name == "before" else (NEW_INDEXES, OLD_INDEXES)
            for index in unwanted:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")
            for index, on in wanted.items():
                conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {index} ON {on}")
            conn.exec_driver_sql("ANALYZE")
        for start, end in ranges:
            with store.read() as session:
                pid = None if store.is_sqlite else session.scalar(text("SELECT pg_backend_pid()"))
                cpu0, backend0, t0 = time.process_time(), _backend_cpu_s(pid), time.perf_counter()
                week = impl.daily_report(session, start=start, end=end, hall_code=HALL, clock=CLOCK)
                wall = (time.perf_counter() - t0) * 1000
                cpu = (time.process_time() - cpu0 + _backend_cpu_s(pid) - backend0) * 1000
            out[name][0 if end is None else 1].append(wall)
            if end is not None:
                out[name][2].append(cpu)
            data = week.to_json()
            if not same(shown.setdefault((start, end), data), data):
                raise SystemExit(f"the {name} report differs for {start}..{end}")
    print(f"  (every report equal between {' and '.join(impls)}; the week: {week.cases_total} cases, "
          f"{week.tickets_issued} tickets, {sum(r.count for r in week.time_rules.stops)} clock stops)")
    store.dispose()
    return out


def report_line(engine: str, name: str, n_cases: int, n_tickets: int, load_s: float | None,
                figures: tuple[list[float], list[float], list[float]]) -> None:
    days_ms, week_ms, week_cpu = figures
    verdict = "meets" if statistics.median(week_ms) <= 300 else "MISSES"
    built = "store reused" if load_s is None else f"store built in {load_s:.0f} s"
    print(f"{engine:<11} {name:<7} cases={n_cases:>9,} tickets={n_tickets:>9,} ({built})  "
          f"day: median {statistics.median(days_ms):6.1f} ms, worst {max(days_ms):6.1f} ms; "
          f"7 days: min {min(week_ms):6.1f} / median {statistics.median(week_ms):6.1f} ms ({verdict} ≤ 300 ms), "
          f"CPU min {min(week_cpu):6.1f} / median {statistics.median(week_cpu):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--tickets", type=int, default=2_000_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--before", default=BEFORE_REPORTS, help="git revision of today's report code ('' = skip)")
    parser.add_argument("--data", type=Path, help="keep the stores here and reuse them (same --cases/--tickets)")
    args = parser.parse_args()
    impls: dict[str, Any] = {"after": daily_now}
    if args.before:
        impls = {"before": load_before("app/reports/daily.py", args.before), **impls}
    print(f"load average before: {os.getloadavg()}")
    days = workdays()
    global KEY_FILE
    tmp = args.data or Path(tempfile.mkdtemp(prefix="zc-bench-reports-"))
    if args.data is not None:
        KEY_FILE = args.data / "data.key"  # not the tests' per-process key (tests.conftest sets one on import)
    tmp.mkdir(parents=True, exist_ok=True)
    tmp.chmod(0o755)  # the PostgreSQL cluster runs as the postgres user
    shape = json.dumps({"cases": args.cases, "tickets": args.tickets})
    kept = args.data is not None and (tmp / "shape.json").exists() and (tmp / "shape.json").read_text() == shape
    if args.data is not None and not kept:
        for old in ("bench.db", "pg"):
            shutil.rmtree(tmp / old, ignore_errors=True) if old == "pg" else (tmp / old).unlink(missing_ok=True)
        (tmp / "data.key").unlink(missing_ok=True)
    try:
        if args.engine in ("sqlite", "both"):
            path = tmp / "bench.db"
            url = f"sqlite:///{path}"
            load_s: float | None = None
            if not (kept and path.exists()):
                seed_base(url)
                t0 = time.perf_counter()
                load_sqlite(path, args.cases, args.tickets, days)
                load_s = time.perf_counter() - t0
            for name, figures in measure(url, days, impls).items():
                report_line("SQLite", name, args.cases, args.tickets, load_s, figures)
        if args.engine in ("postgresql", "both"):
            from tests.conftest import PgCluster

            cluster = PgCluster(tmp / "pg")
            reuse = kept and (tmp / "pg" / "url").exists()
            if reuse:
                cluster.port = int((tmp / "pg" / "port").read_text())
                cluster.resume()
            else:
                shutil.rmtree(tmp / "pg", ignore_errors=True)
                cluster.start()
            try:
                load_s = None
                if reuse:
                    url = (tmp / "pg" / "url").read_text()
                else:
                    url = cluster.new_database()
                    seed_base(url)
                    t0 = time.perf_counter()
                    load_pg(url, args.cases, args.tickets, days)
                    load_s = time.perf_counter() - t0
                    (tmp / "pg" / "url").write_text(url)
                    (tmp / "pg" / "port").write_text(str(cluster.port))
                for name, figures in measure(url, days, impls).items():
                    report_line("PostgreSQL", name, args.cases, args.tickets, load_s, figures)
            finally:
                cluster.stop()
        if args.data is not None:
            (tmp / "shape.json").write_text(shape)
    finally:
        if args.data is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average after:  {os.getloadavg()}")
    print(json.dumps({"target_ms": 300}))


if __name__ == "__main__":
    main()
