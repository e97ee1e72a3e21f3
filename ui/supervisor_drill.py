"""Drill-down: the list of cases behind a number on the supervisor screen (applicants' names masked)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import CounterError
from app.reports.drill import CaseLine, case_lines
from ui.context import AppContext
from widgets.record_table import record_table

HEADERS = ("受理编号", "事项", "申请人", "受理结果", "状态", "窗口", "受理时间")


class DrillDialog(QDialog):
    """Loads the lines off the GUI thread.

    Signals:
        loaded(int): the table is filled (number of lines).
    """

    loaded = Signal(int)

    def __init__(self, ctx: AppContext, title: str, case_nos: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drillDialog")
        self.setWindowTitle(f"明细：{title}")
        self.resize(860, 480)
        self.heading = QLabel(f"{title}：共 {len(case_nos)} 件（申请人姓名已隐去）")
        self.heading.setObjectName("drillHeading")
        self.table = record_table("drillTable", HEADERS)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        self.clock = ctx.clock
        store, numbers = ctx.store, list(case_nos)

        def load() -> list[CaseLine]:
            with store.read() as s:
                return case_lines(s, numbers)

        ctx.runner.submit(load, self._fill, self._failed)

    def _fill(self, lines: list[CaseLine]) -> None:
        self.table.setRowCount(len(lines))
        for i, line in enumerate(lines):
            when = f"{self.clock.local(line.accepted_at):%Y-%m-%d %H:%M}" if line.accepted_at else ""
            values = (line.case_no, line.matter_name, line.applicant, line.decision, line.state,
                      "" if line.window_number is None else f"{line.window_number} 号", when)
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.loaded.emit(len(lines))

    def _failed(self, exc: BaseException) -> None:
        self.heading.setText(exc.message if isinstance(exc, CounterError) else "明细读取失败，请稍后重试")
        self.loaded.emit(0)
