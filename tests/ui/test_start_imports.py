"""Starting the clerk client loads nothing it does not need yet (issue 21): no psycopg on a SQLite store, no
numpy before a photo, no requests before the first hub client. Checked in a fresh interpreter, because this test
process has long imported all three."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("psycopg", "numpy", "requests")


def loaded_after(code: str) -> list[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_login_path_imports_no_psycopg_numpy_or_requests() -> None:
    assert loaded_after("import console, ui.application, ui.login, app.auth, app.demo") == []


def test_the_counter_window_path_on_sqlite_imports_none_of_them() -> None:
    code = ("import ui.application, ui.counter, ui.queue_controller, ui.sync_service, widgets.sync_badge, "
            "ui.device_service, app.queue, sync.relay\n"
            "from app.store import open_store\n"
            "import tempfile, pathlib\n"
            "d = pathlib.Path(tempfile.mkdtemp())\n"
            "store = open_store(f'sqlite:///{d}/c.db')\n"
            "import sync.relay as r\n"
            "r.read_status(store)\n")
    assert loaded_after(code) == []


def test_the_probe_sees_an_import() -> None:
    assert loaded_after("import requests") == ["requests"]  # the check above can fail
