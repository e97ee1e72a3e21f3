"""The supervisor screen (统计看板): a day or a range of the hall's counts in tables and charts, drill-down to
the cases behind a number, xlsx/PDF export, and the 差评 follow-ups with their call-back records.

Every store read and every export runs on ``ctx.runner``; the GUI thread only fills tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import CounterError
from app.reports.daily import DailyReport, Row, daily_report
from app.store.models import Hall
from printing.report import write_report
from ui.context import AppContext
from ui.kiosk_help import HelpCallBanner
from ui.supervisor_appointments import AppointmentPanel
from ui.supervisor_charts import ChartPanel, show_report
from ui.supervisor_drill import DrillDialog
from ui.supervisor_followups import FollowUpPanel
from ui.supervisor_worklist import WorklistPanel
from widgets.record_table import record_table
from widgets.screen_fit import fit_to_screen

DRILL_ROLE = Qt.ItemDataRole.UserRole + 1


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _table(name: str, headers: tuple[str, str]) -> QTableWidget:
    table = record_table(name, headers)
    table.setToolTip("双击带 ▸ 的数字查看对应办件")
    return table


def _fill(table: QTableWidget, lines: list[tuple[str, str, str]]) -> None:
    """(label, value, drill key); a row with a drill key and a non-zero count can be double-clicked."""
    table.setRowCount(len(lines))
    for i, (label, value, drill) in enumerate(lines):
        name = QTableWidgetItem(label)
        shown = QTableWidgetItem(f"{value} ▸" if drill and value not in ("0", "") else value)
        shown.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for item in (name, shown):
            item.setData(DRILL_ROLE, drill)
        table.setItem(i, 0, name)
        table.setItem(i, 1, shown)
    table.resizeColumnToContents(0)


def _rows(rows: tuple[Row, ...]) -> list[tuple[str, str, str]]:
    return [(r.label, str(r.count), r.drill) for r in rows]


class SupervisorWindow(QWidget):
    """Signals:
        report_loaded(object): a DailyReport is shown.
        load_failed(str): the report could not be read (the message is shown in the status line).
        exported(str): a file was written (its path).
        export_failed(str): the export failed (message).
        drill_opened(object): a DrillDialog was opened.
    """

    report_loaded = Signal(object)
    load_failed = Signal(str)
    exported = Signal(str)
    export_failed = Signal(str)
    drill_opened = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: DailyReport | None = None
        self._loading = False
        self.setObjectName("supervisorScreen")
        self.setWindowTitle("统计看板 · 综窗受理客户端")

        self.from_date = QDateEdit(_qdate(self.ctx.clock.today()))
        self.from_date.setObjectName("reportFromDate")
        self.to_date = QDateEdit(_qdate(self.ctx.clock.today()))
        self.to_date.setObjectName("reportToDate")
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        bar = QHBoxLayout()
        self.hall_label = QLabel("")
        self.hall_label.setObjectName("reportHall")
        self.hall_label.setStyleSheet("font-size: 16px; font-weight: bold;")
        bar.addWidget(self.hall_label)
        bar.addStretch(1)
        bar.addWidget(QLabel("日期"))
        bar.addWidget(self.from_date)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.to_date)
        for name, text, days in (("todayButton", "今天", 0), ("yesterdayButton", "昨天", 1)):
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(lambda _c=False, days=days: self.show_day(self.ctx.clock.today() - dt.timedelta(days=days)))
            bar.addWidget(b)
        month = QPushButton("本月")
        month.setObjectName("thisMonthButton")
        month.clicked.connect(self._this_month)
        bar.addWidget(month)
        self.refresh_button = QPushButton("统计")
        self.refresh_button.setObjectName("refreshReportButton")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        self.xlsx_button = QPushButton("导出 Excel")
        self.xlsx_button.setObjectName("exportXlsxButton")
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        # CSV beside Excel: the same tables (app.reports.export.to_csv), every cell neutralised against formulas.
        self.csv_button = QPushButton("导出 CSV")
        self.csv_button.setObjectName("exportCsvButton")
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.pdf_button = QPushButton("导出 PDF")
        self.pdf_button.setObjectName("exportPdfButton")
        self.pdf_button.clicked.connect(lambda: self._ask_export("pdf"))
        bar.addWidget(self.xlsx_button)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.pdf_button)
        self.export_buttons = (self.xlsx_button, self.csv_button, self.pdf_button)

        self.summary = _table("summaryTable", ("项目", "数值"))
        self.hours = ChartPanel("ticketsPerHourChart", "分时段取号")
        self.decisions = ChartPanel("decisionChart", "办件受理结果")
        self.waits = ChartPanel("waitChart", "等候时长分布")
        overview = QWidget()
        grid = QGridLayout(overview)
        grid.addWidget(self.summary, 0, 0, 2, 1)
        grid.addWidget(self.hours, 0, 1, 1, 2)
        grid.addWidget(self.decisions, 1, 1)
        grid.addWidget(self.waits, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)

        self.by_decision = _table("byDecisionTable", ("受理结果", "件数"))
        self.by_matter = _table("byMatterTable", ("事项", "件数"))
        self.by_department = _table("byDepartmentTable", ("部门", "件数"))
        self.by_window = _table("byWindowTable", ("窗口", "件数"))
        self.by_clerk = _table("byClerkTable", ("受理人", "件数"))
        self.by_level = _table("byLevelTable", ("评价等级", "条数"))
        breakdown = QWidget()
        bgrid = QGridLayout(breakdown)
        for i, (title, table) in enumerate((("按受理结果", self.by_decision), ("按窗口", self.by_window),
                                            ("按人员", self.by_clerk), ("评价等级", self.by_level),
                                            ("按事项", self.by_matter), ("按部门", self.by_department))):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            bgrid.addWidget(box, i // 3, i % 3)

        from ui.supervisor_staff import StaffPanel

        self.staff = StaffPanel()  # per clerk and per window (issue 18)
        self.follow_ups = FollowUpPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("supervisorTabs")
        self.tabs.addTab(overview, "概览")
        self.tabs.addTab(breakdown, "办件分布")
        self.tabs.addTab(self.staff, "人员与窗口")
        self.tabs.addTab(self.follow_ups, "差评回访")
        self.worklist = WorklistPanel(ctx)
        self.tabs.addTab(self.worklist, "待办（容缺/核查）")
        self.appointments = AppointmentPanel(ctx)  # the day's 预约 list (ui.supervisor_appointments)
        self.tabs.addTab(self.appointments, "今日预约")
        self.status = QLabel("")
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)

        self.help_calls = HelpCallBanner(ctx)  # the kiosks' 呼叫工作人员 (app.queue.help)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help_calls)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        for table in (self.summary, self.by_decision, self.by_matter, self.by_department, self.by_window,
                      self.by_clerk, self.by_level, self.staff.clerks, self.staff.windows):
            table.itemDoubleClicked.connect(self._on_double_click)
        self.follow_ups.saved.connect(lambda _id: self.refresh())

    # --- loading ----------------------------------------------------------------------------------------------

    def show_day(self, day: dt.date, end: dt.date | None = None) -> None:
        self.from_date.setDate(_qdate(day))
        self.to_date.setDate(_qdate(end or day))
        self.refresh()

    def _this_month(self) -> None:
        today = self.ctx.clock.today()
        self.show_day(today.replace(day=1), today)

    def refresh(self) -> None:
        if self._loading:
            return
        start, end = _pydate(self.from_date.date()), _pydate(self.to_date.date())
        self._loading = True
        self.status.setText("正在统计…")
        store, hall, clock = self.ctx.store, self.ctx.hall_code, self.ctx.clock

        def load() -> DailyReport:
            with store.read() as s:
                # A store that does not know this PC's hall (a hub copy, a fresh install): report every hall.
                code = hall if hall and s.get(Hall, hall) is not None else None
                return daily_report(s, start=start, end=end, hall_code=code, clock=clock)

        self.ctx.runner.submit(load, self._show, self._failed)
        self.follow_ups.reload()
        self.worklist.reload()
        self.help_calls.reload()
        self.appointments.show_day(start)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        message = exc.message if isinstance(exc, CounterError) else "统计失败，请稍后重试"
        self.status.setText(f"⚠ {message}")
        self.load_failed.emit(message)

    def _show(self, report: DailyReport) -> None:
        self._loading = False
        self.report = report
        self.hall_label.setText(f"{report.hall_name}  {report.period_label}")
        _fill(self.summary, report.summary())
        _fill(self.by_decision, _rows(report.by_decision))
        _fill(self.by_matter, _rows(report.by_matter))
        _fill(self.by_department, _rows(report.by_department))
        _fill(self.by_window, _rows(report.by_window))
        _fill(self.by_clerk, _rows(report.by_clerk))
        _fill(self.by_level, _rows(report.by_level))
        self.staff.show_rows(report.staff.clerks, report.staff.windows)
        show_report(report, hours=self.hours, decisions=self.decisions, waits=self.waits)
        self.status.setText("双击带 ▸ 的数字可查看对应的办件清单。")
        self.report_loaded.emit(report)

    # --- drill-down -------------------------------------------------------------------------------------------

    def open_drill(self, key: str, title: str) -> DrillDialog | None:
        if self.report is None or not key:
            return None
        numbers = self.report.drill.get(key, ())
        if not numbers:
            return None
        dialog = DrillDialog(self.ctx, title, numbers, self)
        dialog.show()
        self.drill_opened.emit(dialog)
        return dialog

    def _on_double_click(self, item: QTableWidgetItem) -> None:
        table = item.tableWidget()
        first = table.item(item.row(), 0) if table is not None else None
        label = first.text() if first is not None else ""
        self.open_drill(str(item.data(DRILL_ROLE) or ""), label)

    # --- export -----------------------------------------------------------------------------------------------

    def _ask_export(self, kind: str) -> None:
        if self.report is None:
            self.status.setText("请先统计，再导出")
            return
        r = self.report
        suggested = str(Path.home() / f"统计_{r.start:%Y%m%d}" f"{'' if r.start == r.end else f'-{r.end:%Y%m%d}'}.{kind}")
        pattern = {"xlsx": "Excel 工作簿 (*.xlsx)", "csv": "CSV 文件（UTF-8，Excel 可直接打开） (*.csv)",
                   "pdf": "PDF 文件 (*.pdf)"}[kind]
        path, _filter = QFileDialog.getSaveFileName(self, "导出统计报表", suggested, pattern)
        if path:
            self.export_to(Path(path), kind)

    def export_to(self, path: Path, kind: str) -> None:
        """Write the shown report to ``path`` (xlsx | csv | pdf) on the io pool."""
        if self.report is None:
            return
        report = self.report
        self.status.setText(f"正在导出 {path.name} …")
        for button in self.export_buttons:
            button.setEnabled(False)
        self.ctx.runner.submit(lambda: write_report(report, path, kind), self._on_exported, self._on_export_error,
                               pool="io")

    def _on_exported(self, path: Path) -> None:
        for button in self.export_buttons:
            button.setEnabled(True)
        self.status.setText(f"已导出：{path}")
        self.exported.emit(str(path))

    def _on_export_error(self, exc: BaseException) -> None:
        for button in self.export_buttons:
            button.setEnabled(True)
        message = exc.message if isinstance(exc, CounterError) else f"导出失败：{exc}"
        self.status.setText(f"⚠ {message}")
        self.export_failed.emit(message)


def create(ctx: AppContext, args: argparse.Namespace) -> QWidget:
    """``python -m app supervisor [--date YYYY-MM-DD]``: today's counts unless a date is given."""
    window = SupervisorWindow(ctx)
    fit_to_screen(window, 1280, 800, maximize_when_small=True)
    day = getattr(args, "date", None)
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            day = None
    window.show_day(day if isinstance(day, dt.date) else ctx.clock.today())
    return window
