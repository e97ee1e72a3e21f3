"""sync/ is a library without Qt: the relay, hub and fault proxy import no PySide6, ui or widgets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_sync_modules_import_without_qt() -> None:
    code = ("import sys, sync.relay, sync.server.app, sync.server.__main__, sync.faultproxy, sync.soak, console.sync;"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui', 'widgets')];"
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
