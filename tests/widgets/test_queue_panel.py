"""The counter's calling panel: shortcuts emit, buttons follow the ticket's state, pause needs a reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from widgets.queue_panel import QueuePanel


@pytest.fixture
def panel(qtbot: QtBot) -> QueuePanel:
    p = QueuePanel()
    qtbot.addWidget(p)
    p.show()
    p.activateWindow()
    qtbot.waitExposed(p)
    qtbot.waitUntil(lambda: p.isActiveWindow())
    return p


def test_f1_calls_when_idle_and_not_while_a_ticket_is_held(panel: QueuePanel, qtbot: QtBot) -> None:
    with qtbot.waitSignal(panel.call_next_requested):
        qtbot.keyClick(panel, Qt.Key.Key_F1)
    panel.set_current("A012", "called")
    assert panel.code_label.text() == "A012"
    with qtbot.assertNotEmitted(panel.call_next_requested):
        qtbot.keyClick(panel, Qt.Key.Key_F1)


def test_f2_f3_f4_f7_while_called(panel: QueuePanel, qtbot: QtBot) -> None:
    panel.set_current("A012", "called")
    panel.set_transfer_targets([("w:3", "3 号窗口 不动产登记"), ("c:B", "B 不动产")])
    with qtbot.waitSignal(panel.recall_requested):
        qtbot.keyClick(panel, Qt.Key.Key_F2)
    with qtbot.waitSignal(panel.skip_requested):
        qtbot.keyClick(panel, Qt.Key.Key_F3)
    with qtbot.waitSignal(panel.transfer_requested) as blocker:
        qtbot.keyClick(panel, Qt.Key.Key_F4)
    assert blocker.args == ["w:3"]
    with qtbot.waitSignal(panel.finish_requested):
        qtbot.keyClick(panel, Qt.Key.Key_F7)


def test_serving_ticket_cannot_be_recalled_or_skipped(panel: QueuePanel, qtbot: QtBot) -> None:
    panel.set_current("A012", "serving")
    assert not panel.findChild(type(panel.call_button), "recallButton").isEnabled()
    assert not panel.findChild(type(panel.call_button), "skipButton").isEnabled()
    assert panel.findChild(type(panel.call_button), "finishButton").isEnabled()


def test_f5_pauses_with_reason_then_resumes(panel: QueuePanel, qtbot: QtBot) -> None:
    panel.pause_combo.setCurrentText("午休")
    with qtbot.waitSignal(panel.pause_requested) as blocker:
        qtbot.keyClick(panel, Qt.Key.Key_F5)
    assert blocker.args == ["午休"]
    panel.set_paused(True, "午休")
    assert not panel.call_button.isEnabled() and "已暂停：午休" in panel.state_label.text()
    with qtbot.waitSignal(panel.resume_requested):
        qtbot.keyClick(panel, Qt.Key.Key_F5)


def test_empty_pause_reason_is_refused(panel: QueuePanel, qtbot: QtBot) -> None:
    panel.pause_combo.setCurrentText("  ")
    with qtbot.assertNotEmitted(panel.pause_requested):
        qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    assert panel.message_label.text() == "请填写暂停原因"


def test_busy_blocks_a_second_press(panel: QueuePanel, qtbot: QtBot) -> None:
    panel.set_busy(True)
    with qtbot.assertNotEmitted(panel.call_next_requested):
        qtbot.mouseClick(panel.call_button, Qt.MouseButton.LeftButton)
