"""The counter's calling panel: the current ticket, how many wait, and the window's call buttons.

Knows nothing of the store; it shows plain values and asks for actions by signals. Shortcuts: F1 叫号,
F2 重呼, F3 过号, F4 转窗, F5 暂停/恢复, F6 开始办理, F7 办结.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

PAUSE_REASONS = ("临时离开", "午休", "业务咨询", "系统故障", "窗口会议")


class QueuePanel(QFrame):
    """Signals:
        call_next_requested(): F1.
        recall_requested(): F2.
        skip_requested(): F3.
        transfer_requested(str): F4; the chosen target key ("w:3" a window, "c:B" a category).
        pause_requested(str): F5 while open; the chosen reason.
        resume_requested(): F5 while paused.
        start_requested(): F6, the applicant has arrived.
        finish_requested(): F7.
        pick_requested(): F8, 指定叫号 — choose a ticket from the waiting list (with a reason).
    """

    call_next_requested = Signal()
    recall_requested = Signal()
    skip_requested = Signal()
    transfer_requested = Signal(str)
    pause_requested = Signal(str)
    resume_requested = Signal()
    start_requested = Signal()
    finish_requested = Signal()
    pick_requested = Signal()  # 指定叫号: the clerk wants to choose a ticket from the waiting list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._state: str | None = None  # None | called | serving
        self._paused = False
        self._busy = False

        self.code_label = QLabel("—")

        self.code_label.setObjectName("currentTicketLabel")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.code_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setBold(True)
        self.code_label.setFont(font)
        self.state_label = QLabel("空闲")
        self.state_label.setObjectName("ticketStateLabel")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting_label = QLabel("等候 0 人")
        self.waiting_label.setObjectName("waitingLabel")
        self.waiting_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label = QLabel("")
        self.message_label.setObjectName("queueMessageLabel")
        self.message_label.setWordWrap(True)

        self.call_button = self._button("叫号", "F1", "callNextButton", self.call_next_requested.emit)
        self.recall_button = self._button("重呼", "F2", "recallButton", self.recall_requested.emit)
        self.skip_button = self._button("过号", "F3", "skipButton", self.skip_requested.emit)
        self.transfer_button = self._button("转窗", "F4", "transferButton", self._on_transfer)
        self.pause_button = self._button("暂停", "F5", "pauseButton", self._on_pause)
        self.start_button = self._button("开始办理", "F6", "startButton", self.start_requested.emit)
        self.finish_button = self._button("办结", "F7", "finishButton", self.finish_requested.emit)
        self.pick_button = self._button("指定叫号", "F8", "pickTicketButton", self.pick_requested.emit)
        self.call_button.setProperty("role", "primary")  # the app stylesheet's accent button

        self.transfer_combo = QComboBox()

        self.transfer_combo.setObjectName("transferTargetCombo")
        self.transfer_combo.setToolTip("转往的窗口或业务类别")
        self.pause_combo = QComboBox()
        self.pause_combo.setObjectName("pauseReasonCombo")
        self.pause_combo.setEditable(True)
        self.pause_combo.addItems(PAUSE_REASONS)
        self.pause_combo.setToolTip("暂停原因（大厅屏会显示）")
        for combo in (self.transfer_combo, self.pause_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)

        top = QVBoxLayout()
        top.addWidget(self.code_label)
        top.addWidget(self.state_label)
        top.addWidget(self.waiting_label)
        grid = QGridLayout()
        grid.addWidget(self.call_button, 0, 0)
        grid.addWidget(self.pick_button, 0, 1)
        grid.addWidget(self.recall_button, 1, 0)
        grid.addWidget(self.skip_button, 1, 1)
        grid.addWidget(self.start_button, 2, 0)
        grid.addWidget(self.finish_button, 2, 1)
        # Each choice sits full width above its button: the counter docks this panel only 250 px wide.
        grid.addWidget(self.transfer_combo, 3, 0, 1, 2)
        grid.addWidget(self.transfer_button, 4, 0, 1, 2)
        grid.addWidget(self.pause_combo, 5, 0, 1, 2)
        grid.addWidget(self.pause_button, 6, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        row = QHBoxLayout()
        row.addWidget(self.message_label)
        layout.addLayout(row)
        layout.addStretch(1)
        self._refresh()

    def _button(self, text: str, key: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(f"{text}  {key}")
        button.setObjectName(name)
        button.setShortcut(QKeySequence(key))
        button.setMinimumHeight(36)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(slot)
        return button

    # --- values in ---------------------------------------------------------------------------------------

    def set_current(self, code: str | None, state: str | None = None, detail: str = "") -> None:
        """The ticket the window holds (state ``called`` or ``serving``), or None."""
        self._state = state if code else None
        self.code_label.setText(code or "—")
        label = {"called": "已叫号，等候到窗", "serving": "办理中"}.get(state or "", "空闲")
        self.state_label.setText(f"{label}　{detail}".strip())
        self._refresh()

    def set_waiting(self, count: int) -> None:
        self.waiting_label.setText(f"等候 {count} 人")

    def set_paused(self, paused: bool, reason: str = "") -> None:
        self._paused = paused
        self.pause_button.setText("恢复叫号  F5" if paused else "暂停  F5")
        self.pause_button.setShortcut(QKeySequence("F5"))  # setText drops a button's shortcut
        if paused:
            self.state_label.setText(f"已暂停：{reason}" if reason else "已暂停")
        self._refresh()

    def set_transfer_targets(self, targets: list[tuple[str, str]]) -> None:
        """(key, label) pairs, e.g. ("w:3", "3 号窗口 不动产登记"), ("c:B", "B 不动产")."""
        self.transfer_combo.clear()
        for key, label in targets:
            self.transfer_combo.addItem(label, key)
        self._refresh()

    def set_busy(self, busy: bool) -> None:
        """While a request is on its way every button waits, so a double press cannot send two."""
        self._busy = busy
        self._refresh()

    def set_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setProperty("error", error)
        self.message_label.setStyleSheet("color: #b3261e;" if error else "")

    @property
    def paused(self) -> bool:
        return self._paused

    # --- internals -------------------------------------------------------------------------------------------

    def _refresh(self) -> None:
        free = not self._busy
        held, called = self._state is not None, self._state == "called"
        self.call_button.setEnabled(free and not held and not self._paused)
        self.pick_button.setEnabled(free and not held and not self._paused)
        self.recall_button.setEnabled(free and called)
        self.skip_button.setEnabled(free and called)
        self.start_button.setEnabled(free and called)
        self.finish_button.setEnabled(free and held)
        self.transfer_button.setEnabled(free and held and self.transfer_combo.count() > 0)
        self.pause_button.setEnabled(free)

    def _on_transfer(self) -> None:
        key = self.transfer_combo.currentData()
        if key:
            self.transfer_requested.emit(str(key))

    def _on_pause(self) -> None:
        if self._paused:
            self.resume_requested.emit()
            return
        reason = self.pause_combo.currentText().strip()
        if not reason:
            self.set_message("请填写暂停原因", error=True)
            return
        self.pause_requested.emit(reason)
