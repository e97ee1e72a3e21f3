"""Every screen entry (``python -m app``, ``display``, ``kiosk``, ``rate``, ``supervisor``) points at modules that
exist, and each really starts, draws and quits."""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import console

REPO = Path(__file__).resolve().parents[2]
SCREEN_GROUPS = sorted(g for g, (module, _help) in console.GROUPS.items() if module == "console.screens")


def test_every_group_names_a_module_with_register() -> None:
    for group, (module, _help) in console.GROUPS.items():
        assert importlib.util.find_spec(module) is not None, f"{group}: {module} does not exist"
        assert callable(importlib.import_module(module).register), module


def test_screen_groups_are_the_screens_ui_knows() -> None:
    from ui.application import SCREENS

    assert set(SCREEN_GROUPS) == set(SCREENS) == {"display", "kiosk", "rate", "supervisor"}
    for group in SCREEN_GROUPS:
        assert importlib.util.find_spec(SCREENS[group]) is not None
        _parser, args = console.parse(group, ["--windowed"])
        assert args.handler.args == (group,) and args.windowed
    _parser, args = console.parse(None, [])
    assert args.handler.args == ("counter",)


@pytest.mark.parametrize("screen", ["counter", *SCREEN_GROUPS])
def test_screen_starts_draws_and_quits(screen: str, tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("", encoding="utf-8")
    png = tmp_path / "shot.png"
    words = [] if screen == "counter" else [screen]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZC_CONFIG": str(tmp_path / "settings.toml")}
    out = subprocess.run(
        [sys.executable, "-m", "app", *words, "--demo", "--data-dir", str(tmp_path / "data"), "--windowed",
         "--screenshot", str(png), "--quit-after", "0.5"],
        cwd=REPO, capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_a_display_the_screen_says_how(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "app", "kiosk", "--demo", "--data-dir", str(tmp_path)], cwd=REPO,
                         capture_output=True, text=True, timeout=60, env=env)
    if sys.platform != "linux":
        pytest.skip("only Linux needs DISPLAY")
    assert out.returncode == 1 and "xvfb-run -a python -m app kiosk" in out.stderr
