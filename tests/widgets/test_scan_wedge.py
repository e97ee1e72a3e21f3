"""The scanner event filter: bursts become ``scanned`` and leave the field as it was; typing passes through."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from widgets.scan_wedge import ScanWedge

ID = "15092919900307122X"


def _key(edit: QLineEdit, char: str, t_ms: int) -> None:
    if char == "\r":
        key, text = Qt.Key.Key_Return, "\r"
    elif char == "\b":
        key, text = Qt.Key.Key_Backspace, ""
    else:
        key, text = (Qt.Key(ord(char.upper())) if char.isalnum() else Qt.Key.Key_unknown), char
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
        event.setTimestamp(t_ms)
        QApplication.sendEvent(edit, event)


def _type(edit: QLineEdit, text: str, *, gap_ms: int, start: int) -> int:
    t = start
    for ch in text:
        _key(edit, ch, t)
        t += gap_ms
    return t


def _edit(qtbot: QtBot) -> tuple[QLineEdit, ScanWedge]:
    edit = QLineEdit()
    edit.setObjectName("idNumberEdit")
    qtbot.add_widget(edit)
    return edit, ScanWedge(edit)


def test_burst_is_emitted_and_the_field_keeps_what_was_typed(qtbot: QtBot) -> None:
    edit, wedge = _edit(qtbot)
    assert wedge.objectName() == "idNumberEditScanWedge"
    t = _type(edit, "张", gap_ms=300, start=1000)
    entered: list[bool] = []
    edit.returnPressed.connect(lambda: entered.append(True))
    with qtbot.waitSignal(wedge.scanned, timeout=1000) as blocker:
        _type(edit, ID + "\r", gap_ms=4, start=t + 800)
    assert blocker.args == [ID]
    assert edit.text() == "张"  # the scanned characters are taken back out of the field
    assert entered == []  # and the scanner's Enter does not submit the form


def test_typing_fills_the_field_and_enter_submits(qtbot: QtBot) -> None:
    edit, wedge = _edit(qtbot)
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    with qtbot.waitSignal(edit.returnPressed, timeout=1000):
        _type(edit, ID + "\r", gap_ms=110, start=1000)
    assert edit.text() == ID and scans == []


def test_fast_but_short_input_is_typing(qtbot: QtBot) -> None:
    edit, wedge = _edit(qtbot)
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    with qtbot.waitSignal(edit.returnPressed, timeout=1000):
        _type(edit, "A012\r", gap_ms=5, start=1000)
    assert edit.text() == "A012" and scans == []


def test_two_scans_in_a_row(qtbot: QtBot) -> None:
    edit, wedge = _edit(qtbot)
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    t = _type(edit, "ZCT:150929:20261122:A012:345\r", gap_ms=3, start=1000)
    with qtbot.waitSignal(wedge.scanned, timeout=1000):
        _type(edit, "15092920261122010001\r", gap_ms=3, start=t + 2000)
    assert scans == ["ZCT:150929:20261122:A012:345", "15092920261122010001"]
    assert edit.text() == ""
