"""The stylesheet as a clerk sees it: the keyboard focus is visible on every kind of control, and a disabled
danger button looks disabled. Checked on rendered pixels of real widgets, not on the stylesheet's text."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.application import make_qapp


def _shot(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def _host(qtbot: QtBot, control: QWidget) -> QWidget:
    make_qapp()
    host = QWidget()
    layout = QVBoxLayout(host)
    layout.addWidget(QPushButton("别处"))  # somewhere else the focus can be
    layout.addWidget(control)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    return host


@pytest.mark.parametrize(
    "make",
    [
        lambda: QPushButton("确认受理"),
        lambda: _role(QPushButton("确认受理"), "primary"),
        lambda: _role(QPushButton("不予受理并告知"), "danger"),
        lambda: QCheckBox("已核验原件"),
        lambda: QRadioButton("窗口领取"),
        lambda: QSpinBox(),
        lambda: QTableWidget(2, 2),
    ],
    ids=["button", "primary", "danger", "checkbox", "radio", "spinbox", "table"],
)
def test_keyboard_focus_changes_what_the_control_looks_like(qtbot: QtBot, make: object) -> None:
    control = make()  # type: ignore[operator]
    host = _host(qtbot, control)
    host.layout().itemAt(0).widget().setFocus()
    qtbot.waitUntil(lambda: not control.hasFocus())
    qtbot.wait(20)  # let the layout settle before the first picture
    before = _shot(control)
    control.setFocus()
    qtbot.waitUntil(control.hasFocus)
    qtbot.wait(20)
    after = _shot(control)
    assert before.size() == after.size(), "focus must not resize the control (the layout would jump)"
    assert before != after, f"{type(control).__name__} shows no focus"


def test_a_disabled_danger_button_looks_disabled_not_red(qtbot: QtBot) -> None:
    enabled = _role(QPushButton("不予受理并告知"), "danger")
    disabled = _role(QPushButton("不予受理并告知"), "danger")
    disabled.setEnabled(False)
    host = _host(qtbot, enabled)
    host.layout().addWidget(disabled)
    qtbot.wait(10)

    def reds(image: QImage) -> int:
        count = 0
        for y in range(0, image.height(), 2):
            for x in range(0, image.width(), 2):
                c = image.pixelColor(x, y)
                count += c.red() > 140 and c.green() < 90 and c.blue() < 90
        return count

    assert reds(_shot(enabled)) > 20
    assert reds(_shot(disabled)) == 0


def _role(button: QPushButton, role: str) -> QPushButton:
    button.setProperty("role", role)
    return button
