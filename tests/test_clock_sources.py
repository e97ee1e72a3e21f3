"""Now and today come from the hall clock (``app.clock.HallClock``) and nowhere else.

Walks the product's source and the tests: reading the machine's clock, or naming the hall's zone, outside
``app/clock.py`` fails here with the file and line, so a second "hall today" cannot come back.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PRODUCT = ("app", "ui", "widgets", "sync", "printing", "console")
ALLOWED = {"app/clock.py"}  # the hall clock itself
# ``app.clock.system_now`` is the machine's clock as an aware UTC instant. Only bookkeeping that is no hall event
# may stamp with it — the sync transport (attempt times, cursors, the hub's receipts), column defaults of set-up
# rows (accounts, catalog imports), the demo seed, test data and crash-log names. Hall events (tickets, cases,
# audit, ratings) are stamped by the hall clock; no day is ever derived from a system_now instant. app/orphans.py
# compares files' modification times (the machine's clock) with the machine's clock.
SYSTEM_NOW_USERS = {"app/store/models.py", "app/demo.py", "app/orphans.py", "sync/relay.py", "sync/changes.py", "sync/history.py",
                    "sync/server/service.py", "sync/server/models.py", "sync/testbed.py", "sync/hub_client.py",
                    "ui/application.py"}

# attribute calls that read the machine's clock (or its zone)
CLOCK_CALLS = {("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"), ("date", "today"),
               ("time", "time"), ("time", "time_ns"), ("datetime", "fromtimestamp"), ("time", "localtime"),
               ("time", "strftime"), ("time", "ctime")}  # fmt: skip
ZONE_NAMES = {"HALL_TZ", "ZoneInfo", "CST"}


def _sources(roots: tuple[str, ...]) -> list[Path]:
    return sorted(p for root in roots for p in (REPO / root).rglob("*.py") if ".venv" not in p.parts)


def offences(path: Path) -> list[str]:
    rel = path.relative_to(REPO).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr, owner = node.func.attr, node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (owner_name, attr) in CLOCK_CALLS:
                found.append(f"{rel}:{node.lineno}: {owner_name}.{attr}() reads the machine's clock")
            if attr == "astimezone" and not node.args and not node.keywords:
                found.append(f"{rel}:{node.lineno}: astimezone() without a zone uses the machine's zone")
            if attr == "timezone" and owner_name in ("dt", "datetime") and node.args and not (
                    isinstance(node.args[0], ast.Attribute) and node.args[0].attr == "UTC"):
                if any(isinstance(a, ast.Call) for a in node.args):  # timezone(timedelta(hours=8))
                    found.append(f"{rel}:{node.lineno}: a fixed-offset zone; use the hall clock's zone")
        elif isinstance(node, ast.Name) and node.id == "system_now" and rel not in SYSTEM_NOW_USERS:
            found.append(f"{rel}:{node.lineno}: system_now is the machine's clock; stamp hall events by the hall clock")
        elif isinstance(node, ast.Name) and node.id in ZONE_NAMES:
            found.append(f"{rel}:{node.lineno}: {node.id}: the hall's zone lives in app.clock.HallClock")
        elif isinstance(node, ast.ImportFrom) and node.module in ("time",):
            names = {a.name for a in node.names} & {"time", "time_ns", "localtime", "strftime"}
            if names:
                found.append(f"{rel}:{node.lineno}: from time import {', '.join(sorted(names))}")
    return found


def test_only_the_hall_clock_reads_the_machine_clock() -> None:
    """No reading of the machine clock and no hall zone of its own anywhere but ``app/clock.py``."""
    found = [line for path in _sources((*PRODUCT, "tests", "benchmarks", "scripts"))
             if path.relative_to(REPO).as_posix() not in ALLOWED and path != Path(__file__).resolve()
             for line in offences(path)]  # fmt: skip
    assert not found, "read now/today from the hall clock (app.clock.HallClock):\n" + "\n".join(found)


def test_the_walk_catches_each_way_of_reading_the_clock(tmp_path: Path) -> None:
    sample = REPO / "tests" / "_clock_offender_sample.py"
    sample.write_text(
        "import datetime as dt, time\nfrom zoneinfo import ZoneInfo\n"
        "a = dt.datetime.now()\nb = dt.date.today()\nc = time.time()\nd = dt.datetime.now(dt.UTC).astimezone()\n"
        "e = dt.timezone(dt.timedelta(hours=8))\nf = ZoneInfo('Asia/Shanghai')\ng = dt.datetime.utcnow()\n"
        "from app.clock import system_now\nh = system_now()\n",
        encoding="utf-8")
    try:
        lines = offences(sample)
    finally:
        sample.unlink()
    assert sorted(int(line.split(":")[1]) for line in lines) == [3, 4, 5, 6, 6, 7, 8, 9, 11], lines
