"""The counter's calling panel wired to the store: call, recall, skip, transfer, pause, finish."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import queue as q
from app.clock import HallClock
from app.store import Store
from tests.app.queue_hall import HALL
from tests.ui.queue_ctx import hall_context
from ui.queue_controller import QueueController


def _issue(store: Store, cat: str) -> q.TicketView:
    clock = HallClock()  # the hall context's clock: the machine's, in the hall's zone
    return q.confirm_printed(store, q.issue_ticket(store, hall_code=HALL, category=cat, clock=clock).id, clock=clock)


def test_a_window_calls_serves_and_finishes(qtbot: QtBot, sqlite_store: Store) -> None:
    ctx = hall_context(sqlite_store, window=2)
    _issue(sqlite_store, "A")
    _issue(sqlite_store, "A")
    c = QueueController(ctx)
    qtbot.addWidget(c.panel)
    p = c.panel
    assert p.waiting_label.text() == "等候 2 人"
    with qtbot.waitSignal(c.ticket_changed) as blocker:
        qtbot.mouseClick(p.call_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].code == "A001" and p.code_label.text() == "A001"
    assert p.waiting_label.text() == "等候 1 人" and not p.call_button.isEnabled()
    qtbot.mouseClick(p.recall_button, Qt.MouseButton.LeftButton)
    assert "重呼 1 次" in p.state_label.text()
    qtbot.mouseClick(p.start_button, Qt.MouseButton.LeftButton)
    assert p.state_label.text().startswith("办理中")
    qtbot.mouseClick(p.finish_button, Qt.MouseButton.LeftButton)
    assert p.code_label.text() == "—" and p.message_label.text() == "A001 已办结"


def test_transfer_to_another_window_and_empty_queue_message(qtbot: QtBot, sqlite_store: Store) -> None:
    ctx = hall_context(sqlite_store, window=2)
    _issue(sqlite_store, "A")
    c = QueueController(ctx)
    qtbot.addWidget(c.panel)
    qtbot.mouseClick(c.panel.call_button, Qt.MouseButton.LeftButton)
    c.panel.transfer_combo.setCurrentIndex(c.panel.transfer_combo.findData("w:3"))
    qtbot.mouseClick(c.panel.transfer_button, Qt.MouseButton.LeftButton)
    assert c.panel.message_label.text() == "A001 已转至 3 号窗口"
    qtbot.mouseClick(c.panel.call_button, Qt.MouseButton.LeftButton)
    assert c.panel.message_label.text() == "2 号窗口暂无等候的号"
    assert c.current is None


def test_pause_shows_on_the_panel_and_blocks_calling(qtbot: QtBot, sqlite_store: Store) -> None:
    ctx = hall_context(sqlite_store, window=2)
    c = QueueController(ctx)
    qtbot.addWidget(c.panel)
    c.panel.pause_combo.setCurrentText("午休")
    qtbot.mouseClick(c.panel.pause_button, Qt.MouseButton.LeftButton)
    assert c.panel.paused and "已暂停：午休" in c.panel.state_label.text()
    assert not c.panel.call_button.isEnabled()
    with sqlite_store.read() as s:
        assert q.window_state(s, hall_code=HALL, window_number=2, clock=ctx.clock).pause_reason == "午休"
    qtbot.mouseClick(c.panel.pause_button, Qt.MouseButton.LeftButton)
    assert not c.panel.paused and c.panel.call_button.isEnabled()


def test_without_a_window_the_panel_says_why(qtbot: QtBot, sqlite_store: Store) -> None:
    c = QueueController(hall_context(sqlite_store, window=None))
    qtbot.addWidget(c.panel)
    assert not c.panel.isEnabled() and "未选择窗口" in c.panel.message_label.text()
