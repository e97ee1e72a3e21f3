"""指定叫号: the window's waiting list in calling order (the first is what F1 would call), and the reason the clerk
gives for calling another one out of turn (required when it passes over waiting tickets; ``app.queue.call_ticket``
refuses without it and keeps it on the call event)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import queue as q
from widgets.naming import named

# Reasons halls give; the clerk may type another.
REASONS = ("申请人行动不便", "申请人带婴幼儿", "过号后返回", "预约申请人", "急事（经负责人同意）")


class PickTicketDialog(QDialog):
    def __init__(self, tickets: list[q.TicketView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pickTicketDialog")
        self.setWindowTitle("指定叫号")
        self.list = named(QListWidget(), "pickTicketList")
        for i, t in enumerate(tickets):
            lane = "预约" if t.appointment_id else (f"绿色通道·{t.green_label}" if t.green_label else "")
            text = "　".join(x for x in (t.code, t.masked_name, lane, "（下一个）" if i == 0 else "") if x)
            item = QListWidgetItem(text)
            item.setData(256, t.code)
            self.list.addItem(item)
        if tickets:
            self.list.setCurrentRow(0)
        self.reason = named(QComboBox(), "pickReasonCombo")
        self.reason.setEditable(True)
        self.reason.addItem("")
        self.reason.addItems(REASONS)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("叫这个号")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("本窗口可叫的号（按叫号顺序）：" if tickets else "本窗口暂无等候的号"))
        layout.addWidget(self.list, 1)
        layout.addWidget(QLabel("原因（跳过前面等候的号时必填）："))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, str]:
        item = self.list.currentItem()
        return (str(item.data(256)) if item is not None else "", self.reason.currentText().strip())


__all__ = ["REASONS", "PickTicketDialog"]
