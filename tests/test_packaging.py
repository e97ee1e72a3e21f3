"""The pins a clean machine installs from: ``requirements.lock`` must resolve from a package index alone."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==[A-Za-z0-9.+!-]+$")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock_lines() -> list[str]:
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_every_lock_line_is_a_plain_version_pin() -> None:
    # `pip freeze` writes "name @ file:///tmp/…whl" for a package installed from a local wheel; that path does not
    # exist on a fresh clone and breaks both set-up commands.
    bad = [line for line in _lock_lines() if not PIN.match(line)]
    assert bad == [], f"requirements.lock lines that are not name==version: {bad}"


def test_every_declared_dependency_is_pinned() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    declared = [*project["dependencies"], *extras["test"], *extras["lint"]]  # what `bootstrap.py test` installs
    names = {_canonical(re.split(r"[\[~=<>! ]", spec, maxsplit=1)[0]) for spec in declared}
    pinned = {_canonical(PIN.match(line).group(1)) for line in _lock_lines() if PIN.match(line)}
    assert names - pinned == set(), f"declared in pyproject.toml but not pinned: {sorted(names - pinned)}"
