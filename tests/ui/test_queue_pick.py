"""指定叫号 at the window (real widgets): F8 opens the waiting list in calling order; passing over tickets
without a reason is refused on the panel; with one the ticket is called and the reason kept; the hall's recall cap."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import queue as q
from app.store import Store
from app.store.models import TicketEvent
from tests.app.queue_hall import HALL, clock_at
from tests.ui.queue_ctx import hall_context
from ui.queue_controller import QueueController


def test_pick_a_ticket_with_a_reason_and_the_recall_cap(qtbot: QtBot, sqlite_store: Store) -> None:
    ctx = hall_context(sqlite_store, window=2, clock=clock_at(10))
    ctx.settings.queue.recall_max = 1
    for i in range(3):
        t = q.issue_ticket(sqlite_store, hall_code=HALL, category="A", clock=clock_at(i))
        q.confirm_printed(sqlite_store, t.id, clock=clock_at(i))
    controller = QueueController(ctx, refresh_ms=60000)
    panel = controller.panel
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.pick_button, Qt.MouseButton.LeftButton)
    dialog = controller.pick_dialog
    assert dialog is not None and dialog.list.count() == 3
    assert dialog.list.item(0).text() == "A001　（下一个）"
    dialog.list.setCurrentRow(2)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert "前面还有 2 个号在等，跳过他们叫号请填写原因" in panel.message_label.text()
    assert controller.current is None
    controller.call_chosen("A003", "申请人带婴幼儿")
    assert controller.current is not None and controller.current.code == "A003"
    assert panel.message_label.text() == "已指定叫 A003（申请人带婴幼儿）"
    with sqlite_store.read() as s:
        details = [d for d in s.scalars(select(TicketEvent.detail).where(TicketEvent.kind == "call"))]
    assert details == [{"how": "direct", "passed": ["A001", "A002"], "reason": "申请人带婴幼儿"}]
    qtbot.mouseClick(panel.recall_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.recall_button, Qt.MouseButton.LeftButton)
    assert "已重呼 1 次，达到本大厅上限" in panel.message_label.text()
