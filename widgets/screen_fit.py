"""Windows sized to the screen they open on: a 1366×768 counter screen loses ~40 px to the taskbar, so a fixed
1366×740 window (or a 760-px dialog) runs past the usable height and its bottom buttons sit on the last pixels."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGridLayout, QWidget

FRAME_ALLOWANCE = (16, 40)  # what a window manager's borders and title bar take, roughly (width, height)


def available_area(widget: QWidget) -> QRect | None:
    """The usable part (without taskbars) of the screen the widget is on, or of the primary screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(widget: QWidget, width: int, height: int, *, maximize_when_small: bool = False) -> None:
    """Give ``widget`` its preferred size where the screen has room; otherwise the room there is (maximised, for
    a main window that would not fit). The layouts below decide what grows and what scrolls."""
    area = available_area(widget)
    if area is None:
        widget.resize(width, height)
        return
    room_w = area.width() - FRAME_ALLOWANCE[0]
    room_h = area.height() - FRAME_ALLOWANCE[1]
    if width <= room_w and height <= room_h:
        widget.resize(width, height)
        return
    widget.resize(min(width, room_w), min(height, room_h))
    if maximize_when_small:
        widget.setWindowState(widget.windowState() | Qt.WindowState.WindowMaximized)


def regrid(grid: QGridLayout, widgets: Sequence[QWidget], columns: int) -> None:
    """Lay ``widgets`` out again in rows of ``columns`` (a screen turned to portrait, type resized)."""
    for widget in widgets:
        grid.removeWidget(widget)
    for i, widget in enumerate(widgets):
        grid.addWidget(widget, i // columns, i % columns)
