"""The layers of docs/architecture.md: the import-linter contracts of pyproject.toml hold, and the core, sync,
printing and the command line never load Qt or the UI at run time."""

from __future__ import annotations

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


def test_layer_contracts_hold() -> None:
    """The layers are import-linter contracts in ``pyproject.toml`` ([tool.importlinter]; ``lint-imports`` in
    bootstrap.py's checks): console > ui > widgets > sync | printing > app, app/sync/printing without Qt, widgets
    without the store, SQLAlchemy, sync or printing. This runs the same contracts, so the suite and the check agree.
    What import-linter can't say — that importing every module of app, sync, printing and console (but
    console.screens) loads no Qt at run time, and that ``import app`` stays light — is tested above."""
    exe = Path(sys.executable).with_name("lint-imports.exe" if sys.platform == "win32" else "lint-imports")
    assert exe.exists(), f"{exe} missing: install the lint extra (bootstrap.py does)"
    out = subprocess.run([str(exe), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout
