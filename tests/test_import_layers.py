"""The layers of DESIGN.md: the core, sync, printing and the command line never load Qt or the UI; the core never
imports the layers above it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, pkgutil, sys
failed = []
for package in ("app", "sync", "printing", "console"):
    mod = importlib.import_module(package)
    for info in pkgutil.walk_packages(mod.__path__, package + "."):
        name = info.name
        if name in ("app.__main__", "console.screens") or ".migrations" in name or name.endswith("__main__"):
            continue
        importlib.import_module(name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "ui", "widgets", "shiboken6"))
print("\\n".join(bad))
"""


def test_core_sync_printing_console_import_without_qt() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"these modules pulled in Qt or the UI: {out.stdout}"


def test_plain_import_of_app_is_light() -> None:
    """``import app`` loads no database, Qt or catalog machinery (the 150 ms budget is in benchmarks/)."""
    code = "import sys, app, app.settings, app.errors; print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy','PySide6','alembic','reportlab','cv2')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


UPWARD = re.compile(r"^\s*(?:from|import)\s+(sync|printing|console|ui|widgets)\b", re.MULTILINE)


def test_app_imports_nothing_above_it() -> None:
    """app/ is the bottom layer: no import of sync, printing, console, ui or widgets, at the top of a module or inside
    a function, except ``app/__main__.py`` (``python -m app`` hands over to ``console.main``)."""
    found = []
    for path in sorted((REPO / "app").rglob("*.py")):
        if path == REPO / "app" / "__main__.py":
            continue
        for match in UPWARD.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(REPO)}: {match.group(0).strip()}")
    assert found == []


def test_app_main_only_hands_over_to_console() -> None:
    text = (REPO / "app" / "__main__.py").read_text(encoding="utf-8")
    assert UPWARD.findall(text) == ["console"]
    assert "console.main()" in text
