"""Now and today come from the hall clock (``app.clock.HallClock``) and nowhere else.

Walks the product's source and the tests: reading the machine's clock, or naming the hall's zone, outside
``app/clock.py`` fails here with the file and line, so a second "hall today" cannot come back.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PRODUCT = ("app", "ui", "widgets", "sync", "printing")
ALLOWED = {"app/clock.py"}  # the hall clock itself

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
        elif isinstance(node, ast.Name) and node.id in ZONE_NAMES:
            found.append(f"{rel}:{node.lineno}: {node.id}: the hall's zone lives in app.clock.HallClock")
        elif isinstance(node, ast.ImportFrom) and node.module in ("time",):
            names = {a.name for a in node.names} & {"time", "time_ns", "localtime", "strftime"}
            if names:
                found.append(f"{rel}:{node.lineno}: from time import {', '.join(sorted(names))}")
    return found


PENDING = REPO / "tests" / "clock_sources_pending.txt"


def _key(line: str) -> str:
    path, _line, what = line.split(":", 2)
    return f"{path}:{what}"  # without the line number, which moves with every edit


def _pending() -> list[str]:
    return [line for line in PENDING.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def test_only_the_hall_clock_reads_the_machine_clock() -> None:
    """No new reading of the machine clock anywhere; the readings still being converted are listed in
    ``tests/clock_sources_pending.txt`` and the list may only shrink (a converted site must leave it)."""
    found = [_key(line) for path in _sources((*PRODUCT, "tests", "benchmarks", "scripts"))
             if path.relative_to(REPO).as_posix() not in ALLOWED and path != Path(__file__).resolve()
             for line in offences(path)]  # fmt: skip
    pending = _pending()
    new = sorted(set(found) - set(pending))
    assert not new, "read now/today from the hall clock (app.clock.HallClock):\n" + "\n".join(new)
    gone = sorted(set(pending) - set(found))
    assert not gone, "converted — remove from tests/clock_sources_pending.txt:\n" + "\n".join(gone)


def test_the_walk_catches_each_way_of_reading_the_clock(tmp_path: Path) -> None:
    sample = REPO / "tests" / "_clock_offender_sample.py"
    sample.write_text(
        "import datetime as dt, time\nfrom zoneinfo import ZoneInfo\n"
        "a = dt.datetime.now()\nb = dt.date.today()\nc = time.time()\nd = dt.datetime.now(dt.UTC).astimezone()\n"
        "e = dt.timezone(dt.timedelta(hours=8))\nf = ZoneInfo('Asia/Shanghai')\ng = dt.datetime.utcnow()\n",
        encoding="utf-8")
    try:
        lines = offences(sample)
    finally:
        sample.unlink()
    assert sorted(int(line.split(":")[1]) for line in lines) == [3, 4, 5, 6, 6, 7, 8, 9], lines
