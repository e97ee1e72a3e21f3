"""The live decision banner: 正常受理 / 容缺受理 / 告知承诺 / 补正告知 / 不予受理 with its reasons and deadlines,
coloured by outcome (see ``#decisionBanner[outcome=…]`` in resources/styles/app.qss)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.checklist import Decision
from app.vocabulary import DECISION_LABELS

WEEKDAYS = "一二三四五六日"
MAX_LINES = 6  # the banner stays a banner; the full list is in the tooltip and on the printed notice


def format_date(value: dt.date | None, *, today: dt.date) -> str:
    """``12月4日（周五）``; the year only when it is not ``today``'s year (the banner has one line to spare)."""
    if value is None:
        return "—"
    year = "" if value.year == today.year else f"{value.year}年"
    return f"{year}{value.month}月{value.day}日（周{WEEKDAYS[value.weekday()]}）"


class DecisionBanner(QFrame):
    """Shows one decision, an error, or a prompt when nothing is decided yet.

    Signals:
        outcome_changed(str): "normal" | "deferred" | "pledge" | "supplement" | "refused" | "none" | "error",
            only on change.
    """

    outcome_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._outcome = ""
        self.title = QLabel()
        self.title.setObjectName("decisionTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        # The wrapped deadlines beside it must never squeeze the outcome's own name.
        self.title.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        # …and the checklist above gives way before the reasons are cut off.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.deadlines = QLabel()
        self.deadlines.setObjectName("decisionDeadlines")
        self.deadlines.setWordWrap(True)
        self.reasons = QLabel()
        self.reasons.setObjectName("decisionReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.deadlines, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.reasons)
        self.show_prompt("请选择事项并核对材料")

    @property
    def outcome(self) -> str:
        return self._outcome

    def _set_title(self, text: str) -> None:
        self.title.setText(text)
        self.title.setMinimumWidth(self.title.fontMetrics().horizontalAdvance(text) + 12)

    def _set_outcome(self, outcome: str) -> None:
        if outcome != self._outcome:
            self._outcome = outcome
            self.setProperty("outcome", "refused" if outcome == "error" else outcome)
            self.style().unpolish(self)
            self.style().polish(self)
            self.outcome_changed.emit(outcome)

    def show_prompt(self, text: str) -> None:
        self._set_title("待核对")
        self.deadlines.setText("")
        self.reasons.setText(text)
        self.setToolTip("")
        self._set_outcome("none")

    def show_error(self, message: str) -> None:
        """An expected error (e.g. a date outside the workday calendar) in place of a decision."""
        self._set_title("无法判定")
        self.deadlines.setText("")
        self.reasons.setText(message)
        self.setToolTip(message)
        self._set_outcome("error")

    def set_decision(self, decision: Decision, *, today: dt.date) -> None:
        """Show ``decision``, taken on the day ``today`` (deadlines in another year show their year)."""
        self._set_title(DECISION_LABELS.get(decision.outcome, decision.outcome))
        parts = []
        if decision.outcome == "supplement":
            parts.append(f"收件登记，一次性告知补正（告知期限：{format_date(decision.correction_due, today=today)}）")
        elif decision.outcome != "refused":
            parts.append(f"承诺办结：{format_date(decision.promised_due, today=today)}")
            parts.append(f"法定时限：{format_date(decision.legal_due, today=today)}")
        if decision.supplement_due is not None:
            parts.append(f"容缺材料补齐：{format_date(decision.supplement_due, today=today)} 前")
        self.deadlines.setText("　".join(parts))
        lines = list(decision.reasons)
        if decision.outcome == "supplement" and decision.notice:
            lines.append("一次性告知须补正：" + "、".join(item.name for item in decision.notice))
        if not lines:
            lines = ["材料齐全，可以受理"]
        shown = lines[:MAX_LINES]
        if len(lines) > MAX_LINES:
            shown.append(f"……另有 {len(lines) - MAX_LINES} 条，见提示")
        self.reasons.setText("\n".join(f"· {line}" for line in shown))
        self.setToolTip("\n".join(lines))
        self._set_outcome(decision.outcome)
