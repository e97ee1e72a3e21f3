"""The UI never commits: every write goes through a service that owns its transaction (docs/architecture.md)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITES = re.compile(r"\.commit\(|\.write\(\)|\bSession\(|\.begin\(\)")


def test_no_screen_or_widget_opens_a_write_transaction() -> None:
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for folder in ("ui", "widgets") for path in sorted((ROOT / folder).rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if WRITES.search(line) and not line.lstrip().startswith("#")]
    assert not found, "write through a Store-level service instead:\n" + "\n".join(found)
