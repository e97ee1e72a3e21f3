"""The supervisor's view of the kiosks' help calls (``app.queue.help``): a red line over the report while a call is
open — which kiosk, since when — and 已派人前往 to close it. Hidden while no call is open. Polled, like the
counter's queue panel: the kiosk and the supervisor share only the store."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.queue.help import HelpCall, answer_help, open_help_calls
from ui.context import AppContext
from widgets.naming import named


class HelpCallBanner(QWidget):
    """Signals: changed(int): the number of open calls after a reload."""

    changed = Signal(int)

    def __init__(self, ctx: AppContext, *, poll_ms: int = 15_000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("helpCallBanner")
        self.setStyleSheet("#helpCallBanner { background: #fdecea; } #helpCallText { color: #b3261e; "
                           "font-weight: bold; }")
        self.calls: list[HelpCall] = []
        self.text = named(QLabel(""), "helpCallText")
        self.text.setWordWrap(True)
        self.answer_button = named(QPushButton("已派人前往"), "answerHelpButton")
        self.answer_button.clicked.connect(self.answer)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.answer_button)
        self.setVisible(False)
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.reload)
        self.timer.start()

    def reload(self) -> None:
        store, hall, clock = self.ctx.store, self.ctx.hall_code, self.ctx.clock

        def load() -> list[HelpCall]:
            with store.read() as s:
                return open_help_calls(s, hall, day=clock.today(), clock=clock)

        self.ctx.runner.submit(load, self._show, lambda _exc: None)  # a failed poll: the next one retries

    def _show(self, calls: list[HelpCall]) -> None:
        self.calls = calls
        if calls:
            since = "、".join(f"{c.kiosk}（{self.ctx.clock.local(c.at):%H:%M} 起）" for c in calls)
            self.text.setText(f"自助取号机请求帮助：{since}。请派工作人员到取号机旁，到场后点“已派人前往”。")
        self.setVisible(bool(calls))
        self.changed.emit(len(calls))

    def answer(self) -> None:
        store, hall, clock = self.ctx.store, self.ctx.hall_code, self.ctx.clock
        actor = self.ctx.actor
        self.ctx.runner.submit(lambda: answer_help(store, hall_code=hall, actor=actor, clock=clock),
                               lambda _n: self.reload(), lambda _exc: self.reload())


__all__ = ["HelpCallBanner"]
