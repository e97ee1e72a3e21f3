"""The screen entries: ``python -m app`` (the clerk client), ``display``, ``kiosk``, ``rate``, ``supervisor``.

The command line's one way into ``ui``; nothing below ``console`` starts a screen.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys

from app.errors import CounterError
from console import fail, settings_from


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY = (
    "没有可用的显示器（未设置 DISPLAY）：请在桌面会话中运行，或用虚拟屏幕运行：xvfb-run -a python -m app {args}"
)


# Screen options that take a value (the group finder in console.main skips their values).
SCREEN_VALUE_OPTIONS = {"--window", "--screen", "--quit-after", "--screenshot"}


def register(parser: argparse.ArgumentParser, screen: str) -> None:
    """The options of a screen entry (``counter`` for ``python -m app``, or a group of ``console.GROUPS``)."""
    parser.add_argument("--window", type=int, help="本机窗口号")
    parser.add_argument("--screen", type=int, default=-1, help="显示在第几块屏幕（从 0 起）")
    parser.add_argument("--windowed", action="store_true", help="大厅屏与取号机不全屏")
    parser.add_argument("--quit-after", type=float, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--screenshot", metavar="PNG", help=argparse.SUPPRESS)
    parser.set_defaults(handler=functools.partial(open_screen, screen))


def open_screen(screen: str, args: argparse.Namespace) -> int:
    if not has_display():
        return fail(NO_DISPLAY.format(args="" if screen == "counter" else screen))
    try:
        settings = settings_from(args)
    except CounterError as exc:
        return fail(exc.message)
    from ui.application import run

    return run(screen, settings, args)
