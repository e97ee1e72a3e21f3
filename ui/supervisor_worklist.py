"""The supervisor's 待办 tab: 容缺 supply dates coming up and lapsed, back-office returns, and 告知承诺 核查 tasks,
with the finding (属实 / 不实) recorded for a selected check, and the clock started again for a returned case once
the applicant's 补正 is in (恢复计时)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.cases import lifecycle, time_rules
from app.cases.pledge_checks import CheckView, record_check_finding
from app.cases.review import sweep_day
from app.cases.worklist import WorkItem, worklist
from app.errors import CounterError
from app.workdays import default_calendar
from ui.context import AppContext
from widgets.naming import named
from widgets.record_table import record_table

HEADERS = ("类别", "受理编号", "申请人", "事项", "期限", "说明")
URGENT = ("supplement_lapsed", "check_overdue")


class WorklistPanel(QWidget):
    """Signals:
        loaded(int): the list was (re)filled.
        recorded(int): a check's finding was written (the check id).
        resumed(str): a returned case's clock runs again (its case_no).
    """

    loaded = Signal(int)
    recorded = Signal(int)
    resumed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[WorkItem] = []
        self.setObjectName("worklistPanel")
        self.table = record_table("worklistTable", HEADERS, single=True)
        self.table.itemSelectionChanged.connect(self._on_select)
        self.note = named(QLineEdit(), "checkNote")
        self.note.setPlaceholderText("核查情况（不实时必填，写入撤销决定书）")
        self.true_button = named(QPushButton("核查属实"), "checkTrueButton")
        self.false_button = named(QPushButton("核查不实（撤销并列入名单）"), "checkFalseButton")
        self.true_button.clicked.connect(lambda: self._record("true"))
        self.false_button.clicked.connect(lambda: self._record("false"))
        self.resume_button = named(QPushButton("补正已收到，恢复计时"), "resumeReturnedButton")
        self.resume_button.clicked.connect(self._resume)
        self.error = named(QLabel(), "worklistError")
        self.error.setStyleSheet("color: #c0392b;")
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.true_button)
        row.addWidget(self.false_button)
        row.addWidget(self.resume_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self._on_select()

    def reload(self) -> None:
        store, hall = self.ctx.store, self.ctx.hall_code
        today = self.ctx.clock.today()
        remind = self.ctx.settings.counter.supplement_remind_workdays

        from ui.counter_intake import policy_from

        clock, calendar, policy = self.ctx.clock, default_calendar(self.ctx.settings.data_dir), policy_from(self.ctx)

        def load() -> list[WorkItem]:
            # The day's sweep first, so what §32 has accepted (and what has lapsed) is listed as it stands today.
            sweep_day(store, clock=clock, calendar=calendar, policy=policy)
            with store.read() as s:
                return worklist(s, today=today, calendar=default_calendar(), remind_workdays=remind,
                                hall_code=hall) or worklist(s, today=today, calendar=default_calendar(),
                                                            remind_workdays=remind)

        self.ctx.runner.submit(load, self._fill, self._failed)

    def _fill(self, items: list[WorkItem]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for i, w in enumerate(items):
            values = (w.kind_label, w.case_no, w.applicant_name, w.matter_name,
                      w.due.isoformat() if w.due else "", w.text)
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if w.kind in URGENT:
                    item.setForeground(QColor("#c0392b"))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self._on_select()
        self.loaded.emit(len(items))

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(exc.message if isinstance(exc, CounterError) else "待办清单读取失败")
        self.loaded.emit(0)

    def selected(self) -> WorkItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _on_select(self) -> None:
        item = self.selected()
        is_check = item is not None and item.check_id is not None
        self.true_button.setEnabled(is_check)
        self.false_button.setEnabled(is_check)
        self.resume_button.setEnabled(item is not None and item.kind == "returned")

    def _resume(self) -> None:
        """The back office's 补正 is in: the clock runs again from today (行政许可法 §45 style pause ends)."""
        item = self.selected()
        if item is None or item.kind != "returned":
            return
        ctx, case_no, note = self.ctx, item.case_no, self.note.text().strip() or "后台退回的补正材料已收到"
        actor = ctx.clerk.username if ctx.clerk is not None else ctx.actor
        calendar = default_calendar(ctx.settings.data_dir)
        self.error.clear()

        def work() -> str:
            at = ctx.clock.now()
            lifecycle.transition(ctx.store, case_no=case_no, change=lambda s: time_rules.resume_clock(
                s, case_no=case_no, note=note, actor=actor, at=at, today=ctx.clock.day_of(at), calendar=calendar))
            return case_no

        ctx.runner.submit(work, self._on_resumed, self._failed)

    def _on_resumed(self, case_no: str) -> None:
        self.note.clear()
        self.resumed.emit(case_no)
        self.reload()

    def _record(self, found: str) -> None:
        item = self.selected()
        if item is None or item.check_id is None:
            return
        ctx, check_id, note = self.ctx, item.check_id, self.note.text()
        actor = ctx.clerk.name if ctx.clerk is not None else "supervisor"
        bar_days = ctx.settings.counter.false_pledge_bar_days
        self.error.clear()

        ctx.runner.submit(lambda: record_check_finding(ctx.store, check_id=check_id, found=found, note=note,
                                                       actor=actor, clock=ctx.clock, bar_days=bar_days),
                          self._on_recorded, self._failed)

    def _on_recorded(self, view: CheckView) -> None:
        self.note.clear()
        self.recorded.emit(view.id)
        self.reload()
