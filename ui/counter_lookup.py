"""Case lookup at the counter: find a case by 受理编号 (typed or scanned), ID number or name; show its materials
and history; and take the next step — 补正, 登记办结结果, 结果到窗, 出件 (checking the collector's ID), 邮寄,
§42 延期 and §45 暂停/恢复计时, 终止, 补打文书."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.case_no import CaseNo, read_case_no
from app.cases import CaseSummary, CaseView, find_case, lifecycle, search_cases
from app.clock import HallClock
from app.errors import CounterError
from app.masking import mask_id
from app.vocabulary import CASE_EVENT_LABELS
from ui.context import AppContext
from ui.counter_actions import CaseActions

COLUMNS = ("受理编号", "事项", "申请人", "证件号码", "结论", "状态", "受理时间")


def local_time(at: dt.datetime, clock: HallClock) -> str:
    """A stored instant on the hall's wall clock."""
    return f"{clock.local(at):%Y-%m-%d %H:%M}"


def short_time(at: dt.datetime, clock: HallClock) -> str:
    """For the results table: the year only when it is not this year, so the matter column keeps its width."""
    local = clock.local(at)
    return local.strftime("%m-%d %H:%M" if local.year == clock.today().year else "%Y-%m-%d")


@dataclass(frozen=True)
class Found:
    """What a lookup found: the case to show (if one), the list, and the 受理编号 the text was read as."""

    view: CaseView | None
    summaries: list[CaseSummary]
    case_no: CaseNo | None = None
    text: str = ""  # what was searched for, as typed (said back when nothing matches)


def lookup(ctx: AppContext, text: str) -> Found:
    """Runs on the store thread: an exact 受理编号 (either form) opens the case; anything else lists matches.

    19 digits failing the number's check raise ValidationError with the reason (shown beside the field).
    """
    no = read_case_no(text)
    with ctx.store.read() as session:
        view = find_case(session, no.text) if no is not None else None
        if view is not None:
            return Found(view, [view.summary], no, text)
        found = search_cases(session, text=text)
        if len(found) == 1:
            return Found(find_case(session, found[0].case_no), found, text=text)
        return Found(None, found, text=text)


class LookupPanel(QWidget):
    """Signals:
        case_shown(object): the CaseView now shown (None when cleared).
        action_done(str): a transition was written; the message for the status bar.
        reprint_requested(str, tuple): case_no and the documents to print again.
        print_requested(str, tuple): case_no and a document a step has just made due (the 延期告知书).
        case_corrected(object): a case in 收件-待补正 was 补正 and decided again (an AcceptResult).
    """

    case_shown = Signal(object)
    action_done = Signal(str)
    reprint_requested = Signal(str, tuple)
    print_requested = Signal(str, tuple)
    case_corrected = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("lookupPanel")
        self.case: CaseView | None = None
        self.summaries: list[CaseSummary] = []

        self.edit = QLineEdit()
        self.edit.setObjectName("lookupEdit")
        self.edit.setPlaceholderText("受理编号（可扫码）、申请人证件号码或姓名")
        self.edit.setClearButtonEnabled(True)
        self.search_button = QPushButton("查询 (Enter)")
        self.search_button.setObjectName("lookupButton")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("lookupResults")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.message = QLabel("")
        self.message.setObjectName("lookupMessage")
        self.message.setProperty("role", "hint")

        self.detail = QLabel("")
        self.detail.setObjectName("caseDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.materials = QListWidget()
        self.materials.setObjectName("caseMaterials")
        self.history = QListWidget()
        self.history.setObjectName("caseHistory")

        top = QHBoxLayout()
        top.addWidget(self.edit, 1)
        top.addWidget(self.search_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.message)
        left_layout.addWidget(self.table, 2)
        detail_box = QGroupBox("办件详情")
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.addWidget(self.detail)
        lists = QHBoxLayout()
        mat_col = QVBoxLayout()
        mat_col.addWidget(QLabel("材料"))
        mat_col.addWidget(self.materials)
        his_col = QVBoxLayout()
        his_col.addWidget(QLabel("办理过程"))
        his_col.addWidget(self.history)
        lists.addLayout(mat_col)
        lists.addLayout(his_col)
        detail_layout.addLayout(lists, 1)
        left_layout.addWidget(detail_box, 3)

        self.case_actions = CaseActions(ctx)
        self.error = self.case_actions.error  # lookup and step errors share the one line beside the steps
        right = self.case_actions

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.edit.returnPressed.connect(self.run_lookup)
        self.search_button.clicked.connect(self.run_lookup)
        self.table.itemSelectionChanged.connect(self._on_row)
        self.case_actions.changed.connect(self._after_step)
        self.case_actions.action_done.connect(self.action_done)
        self.case_actions.reprint_requested.connect(self.reprint_requested)
        self.case_actions.print_requested.connect(self.print_requested)
        self.case_actions.case_corrected.connect(self.case_corrected)
        self._show_case(None)

    # --- finding ---------------------------------------------------------------------------------------

    def run_lookup(self) -> None:
        text = self.edit.text().strip()
        self.error.setText("")
        if not text.replace("-", "").strip():  # spaces and dashes alone (a scanner's stray separator) say nothing
            self.message.setText("请输入受理编号、证件号码或姓名")
            return
        ctx = self.ctx
        self.message.setText("正在查询…")
        ctx.runner.submit(lambda: lookup(ctx, text), self._on_found, self._on_error)

    def open_case(self, case_no: str) -> None:
        """Show one case by its number (after accepting it, or from another screen)."""
        self.edit.setText(case_no)
        self.run_lookup()

    def _on_found(self, found: Found) -> None:
        view, summaries = found.view, found.summaries
        self.summaries = summaries
        self.table.blockSignals(True)
        self.table.setRowCount(len(summaries))
        for row, s in enumerate(summaries):
            values = (s.case_no, s.matter_name, s.applicant_name, mask_id(s.applicant_id_no), s.decision_label,
                      s.state_label + ("（补正逾期）" if s.flagged == "supplement_overdue" else ""),
                      short_time(s.accepted_at, self.ctx.clock))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if view is not None:
            index = next((i for i, s in enumerate(summaries) if s.case_no == view.case_no), -1)
            if index >= 0:
                self.table.selectRow(index)
        self.table.blockSignals(False)
        if not summaries:
            self.message.setText(f"没有找到与“{found.text}”相符的办件。请核对受理编号、证件号码或姓名"
                                 "（受理编号可只输开头几位）")
        elif view is None:
            self.message.setText(f"找到 {len(summaries)} 件，选择一件查看")
        elif found.case_no is not None:  # say how the number was read: an old receipt's 18 digits, or 19
            self.message.setText(f"按{found.case_no.form_label}找到：{found.case_no.spoken}")
        else:
            self.message.setText(f"找到 {len(summaries)} 件")
        self._show_case(view)

    def _on_row(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        summary = self.summaries[rows[0].row()]
        if self.case is not None and self.case.case_no == summary.case_no:
            return
        self._reload(summary.case_no)

    def _reload(self, case_no: str) -> None:
        ctx = self.ctx

        def read() -> CaseView | None:
            with ctx.store.read() as session:
                return find_case(session, case_no)

        ctx.runner.submit(read, self._show_case, self._on_error)

    def _on_error(self, exc: BaseException) -> None:
        self.message.setText("")
        self.error.setText(exc.message if isinstance(exc, CounterError) else "查询时出现意外错误")

    # --- showing ---------------------------------------------------------------------------------------

    def _show_case(self, view: CaseView | None) -> None:
        self.case = view
        self.materials.clear()
        self.history.clear()
        if view is None:
            self.detail.setText("")
            self.case_actions.show_for(None)
            self.case_shown.emit(None)
            return
        s = view.summary
        applicant = f"{s.applicant_name}（{mask_id(s.applicant_id_no)}）"
        if view.legal_rep:
            applicant += f"，法定代表人 {view.legal_rep}"
        if view.proxy:
            applicant += f"，代办人 {view.proxy.get('name', '')}"
        dues = []
        if s.promised_due:
            dues.append(f"承诺办结 {s.promised_due:%Y-%m-%d}")
        if s.supplement_due:
            dues.append(f"容缺补齐 {s.supplement_due:%Y-%m-%d}")
        flag = "　⚠ 容缺材料补正已逾期" if s.flagged == "supplement_overdue" else ""
        self.detail.setText(
            f"<b>{s.case_no}</b>　{s.matter_name}<br>"
            f"申请人：{applicant}<br>"
            f"结论：{s.decision_label}　状态：<b>{s.state_label}</b>{flag}<br>"
            f"受理：{local_time(s.accepted_at, self.ctx.clock)}　{s.window_number} 号窗口　{'　'.join(dues)}"
            + "".join(f"<br>期限：{note}" for note in view.time_notes)
            + self._bundle_line(view)
        )
        for m in view.materials:
            self.materials.addItem(f"{m.name}：{m.state_label}")
        for e in view.history:
            label = CASE_EVENT_LABELS.get(e.kind, e.kind)
            state = f" → {lifecycle.state_label(e.to_state)}" if e.to_state and e.to_state != e.from_state else ""
            note = e.detail.get("note") or e.detail.get("reason") or ""
            self.history.addItem(f"{local_time(e.at, self.ctx.clock)}　{label}{state}　{e.actor}" + (f"　{note}" if note else ""))
        self.case_actions.show_for(view)
        self.case_shown.emit(view)

    @staticmethod
    def _bundle_line(view: CaseView) -> str:
        """一件事一次办: the intake's name, how many of its cases are done, and the others' numbers and states."""
        b = view.bundle
        if b is None:
            return ""
        done = "，已全部办结" if b.done else f"，已办结 {b.done_count}/{len(b.cases)}"
        others = "；".join(f"{c.case_no} {c.matter_name}（{c.state_label}）" for c in b.cases
                          if c.case_no != view.case_no)
        return f"<br>一件事：<b>{b.name}</b>（共 {len(b.cases)} 件{done}）<br>同办事项：{others}"

    def _after_step(self, view: CaseView | None) -> None:
        self._show_case(view)
        self._refresh_row(view)

    def _refresh_row(self, view: CaseView | None) -> None:
        if view is None:
            return
        for row, s in enumerate(self.summaries):
            if s.case_no == view.case_no:
                self.summaries[row] = view.summary
                item = self.table.item(row, 5)
                if item is not None:
                    item.setText(view.summary.state_label)

