"""Today's code next to the new, in one run: a module as it was at a git revision, loaded under its own name.

The issue-21 benchmarks measure "before" and "after" side by side on the same data and the same machine load,
so the old implementation is taken from git history rather than kept as a second path in the product.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
BEFORE = "f87ed6e"  # main when issue 21 was started


def source_at(rev: str, path: str) -> str:
    return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=REPO, check=True, capture_output=True,
                          text=True).stdout


def load_before(path: str, rev: str = BEFORE) -> ModuleType:
    """The module at ``path`` (e.g. ``app/reports/daily.py``) as it was at ``rev``; it imports today's other
    modules, so only that one file is old."""
    name = "before_" + path.removesuffix(".py").replace("/", "_")
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    exec(compile(source_at(rev, path), f"{rev}:{path}", "exec"), module.__dict__)
    return module
