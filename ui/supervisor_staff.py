"""The supervisor's 人员与窗口 tab: per-clerk and per-window figures (app.reports.staff_figures). Double-click a
row for its cases, or the 逾期办件 cell for the overdue ones; the tab is part of the report's Excel/PDF exports."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.reports.export import FIGURE_HEADER, _figures
from app.reports.staff_figures import FigureRow
from widgets.record_table import record_table

DRILL_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_COLUMN = 5


class StaffPanel(QWidget):
    """Two tables, ``clerkFiguresTable`` and ``windowFiguresTable``; each cell carries its drill key."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffFigures")
        self.clerks = record_table("clerkFiguresTable", ["人员", *FIGURE_HEADER])
        self.windows = record_table("windowFiguresTable", ["窗口", *FIGURE_HEADER])
        layout = QHBoxLayout(self)
        for title, table in (("按人员", self.clerks), ("按窗口", self.windows)):
            table.setToolTip("双击一行查看其办件；双击“逾期办件”查看逾期的办件")
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            layout.addWidget(box)

    def show_rows(self, clerks: tuple[FigureRow, ...], windows: tuple[FigureRow, ...]) -> None:
        for table, rows in ((self.clerks, clerks), (self.windows, windows)):
            _fill(table, rows)

    @staticmethod
    def drill_of(item: QTableWidgetItem) -> str:
        return str(item.data(DRILL_ROLE) or "")


def _fill(table: QTableWidget, rows: tuple[FigureRow, ...]) -> None:
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, value in enumerate(_figures(row)):
            text = str(value)
            drill = row.overdue_drill if j == OVERDUE_COLUMN and row.overdue else row.drill if row.cases else ""
            if j in (3, OVERDUE_COLUMN) and drill and text != "0":
                text += " ▸"
            item = QTableWidgetItem(text)
            item.setData(DRILL_ROLE, drill)
            if 0 < j < len(FIGURE_HEADER):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(i, j, item)
    table.resizeColumnsToContents()
