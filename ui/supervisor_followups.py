"""差评 follow-ups on the supervisor screen: the list (overdue ones marked) and the call-back (回访) record form."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import ratings
from app.errors import CounterError
from ui.context import AppContext
from widgets.record_table import record_table

HEADERS = ("编号", "受理编号/号票", "评价", "窗口", "工作人员", "评价时间", "整改期限", "状态", "意见")


class FollowUpPanel(QWidget):
    """Signals:
        loaded(int): the list was (re)filled.
        saved(int): a call-back was recorded (the rating id).
    """

    loaded = Signal(int)
    saved = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[ratings.RatingView] = []
        self.setObjectName("followUpPanel")
        self.only_open = QCheckBox("只看待回访")
        self.only_open.setObjectName("followUpOnlyOpen")
        self.only_open.setChecked(True)
        self.only_open.toggled.connect(lambda _on: self.reload())
        self.table = record_table("followUpTable", HEADERS, single=True)
        self.table.itemSelectionChanged.connect(self._on_select)

        box = QGroupBox("回访记录")
        self.target_label = QLabel("请在上表中选择一条差评")
        self.target_label.setObjectName("followUpTarget")
        self.note = QPlainTextEdit()
        self.note.setObjectName("followUpNote")
        self.note.setPlaceholderText("整改措施、回访时申请人的意见")
        self.note.setFixedHeight(80)
        self.by = QLineEdit(ctx.clerk.name if ctx.clerk is not None else "")
        self.by.setObjectName("followUpBy")
        self.by.setPlaceholderText("回访人姓名")
        self.save_button = QPushButton("保存回访记录")
        self.save_button.setObjectName("saveFollowUpButton")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.error = QLabel()
        self.error.setObjectName("followUpError")
        self.error.setStyleSheet("color: #c0392b;")
        form = QFormLayout(box)
        form.addRow(self.target_label)
        form.addRow("回访情况", self.note)
        row = QHBoxLayout()
        row.addWidget(self.by, 1)
        row.addWidget(self.save_button)
        form.addRow("回访人", row)
        form.addRow(self.error)

        layout = QVBoxLayout(self)
        layout.addWidget(self.only_open)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)

    def reload(self) -> None:
        store, hall, state = self.ctx.store, self.ctx.hall_code, ("open" if self.only_open.isChecked() else None)

        def load() -> list[ratings.RatingView]:
            with store.read() as s:
                items = ratings.list_follow_ups(s, hall_code=hall, state=state)
                # A store that holds other halls' rows only: show them all rather than an empty list.
                return items or ratings.list_follow_ups(s, state=state)

        self.ctx.runner.submit(load, self._fill, self._failed)

    def _fill(self, items: list[ratings.RatingView]) -> None:
        self.items = items
        today = self.ctx.clock.today()
        self.table.setRowCount(len(items))
        for i, r in enumerate(items):
            overdue = r.overdue(today)
            state = ratings.FOLLOW_UP_STATES.get(r.follow_up_state, "") + ("（已逾期）" if overdue else "")
            values = (str(r.id), r.case_no or f"号票 {r.ticket_code}", r.level_label, f"{r.window_number} 号",
                      r.clerk_name, f"{self.ctx.clock.local(r.at):%m-%d %H:%M}",
                      r.follow_up_due.isoformat() if r.follow_up_due else "", state, r.comment)
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if overdue:
                    item.setForeground(QColor("#c0392b"))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self._on_select()
        self.loaded.emit(len(items))

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(exc.message if isinstance(exc, CounterError) else "回访清单读取失败")
        self.loaded.emit(0)

    def selected(self) -> ratings.RatingView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def select_rating(self, rating_id: int) -> None:
        for i, r in enumerate(self.items):
            if r.id == rating_id:
                self.table.selectRow(i)

    def _on_select(self) -> None:
        r = self.selected()
        self.error.clear()
        if r is None:
            self.target_label.setText("请在上表中选择一条差评")
            self.save_button.setEnabled(False)
            return
        if r.follow_up_state == "done":
            when = f"{self.ctx.clock.local(r.follow_up_at):%Y-%m-%d %H:%M}" if r.follow_up_at else ""
            self.target_label.setText(f"{r.case_no or r.ticket_code}：{r.follow_up_by} 已于 {when} 回访")
            self.note.setPlainText(r.follow_up_note)
            self.save_button.setEnabled(False)
            return
        self.target_label.setText(f"{r.case_no or r.ticket_code}（{r.level_label}，整改期限 {r.follow_up_due}）")
        self.note.clear()
        self.save_button.setEnabled(True)

    def save(self) -> None:
        r = self.selected()
        if r is None:
            return
        store, note, by, clock = self.ctx.store, self.note.toPlainText(), self.by.text(), self.ctx.clock
        self.save_button.setEnabled(False)
        self.ctx.runner.submit(lambda: ratings.record_follow_up(store, r.id, note=note, by=by, clock=clock),
                               self._on_saved, self._on_save_error)

    def _on_saved(self, view: ratings.RatingView) -> None:
        self.saved.emit(view.id)
        self.reload()

    def _on_save_error(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(exc.message if isinstance(exc, CounterError) else "回访记录未能保存，请重试")
        if isinstance(exc, CounterError) and exc.field == "note":
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)
