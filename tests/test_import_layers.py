"""The layers of DESIGN.md: the core, sync and printing never load Qt or the UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, pkgutil, sys
failed = []
for package in ("app", "sync", "printing"):
    mod = importlib.import_module(package)
    for info in pkgutil.walk_packages(mod.__path__, package + "."):
        name = info.name
        if name == "app.__main__" or ".migrations" in name or name.endswith("__main__"):
            continue
        importlib.import_module(name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "ui", "widgets", "shiboken6"))
print("\\n".join(bad))
"""


def test_core_sync_printing_import_without_qt() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"these modules pulled in Qt or the UI: {out.stdout}"


def test_plain_import_of_app_is_light() -> None:
    """``import app`` loads no database, Qt or catalog machinery (the 150 ms budget is in benchmarks/)."""
    code = "import sys, app, app.settings, app.errors; print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy','PySide6','alembic','reportlab','cv2')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
