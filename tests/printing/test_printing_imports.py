"""printing/ stays Qt-free, and the shipped font is usable on a PC without Chinese fonts."""

from __future__ import annotations

import subprocess
import sys

from printing.fonts import FONT_DIR, FONT_FILE
from tests.printing.pdf_tools import REPO_ROOT


def test_printing_never_imports_qt() -> None:
    code = ("import sys\n"
            "import printing.documents, printing.ticket, printing.backends, printing.escpos, printing.from_store\n"
            "import console.printing\n"
            "assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules if 'PySide6' in m)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_font_ships_with_its_licence_and_fits_in_git() -> None:
    assert FONT_FILE.stat().st_size < 10 * 1024 * 1024
    for name in ("LICENSE-Apache-2.0.txt", "COPYRIGHT.txt", "SOURCE.md"):
        assert (FONT_DIR / name).stat().st_size > 500
    assert "font exception" in (FONT_DIR / "COPYRIGHT.txt").read_text(encoding="utf-8").lower()
