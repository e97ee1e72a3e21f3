"""The supervisor's 预约 tab: the day's appointments by slot (who, which category, checked in or not, the ticket
drawn, where the booking came from), a form to book one for an applicant on the phone or at the desk, cancel,
and 记未到 (the no-show sweep, ``queue.appointment_noshow_minutes`` after the slot)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app import queue as q
from app.errors import CounterError
from app.queue import appointments as ap
from ui.context import AppContext
from widgets.naming import named
from widgets.record_table import record_table

HEADERS = ("时段", "预约码", "类别", "申请人", "状态", "号票", "来源")


class AppointmentPanel(QWidget):
    """Signals:
        loaded(int): the day's list was (re)filled (how many appointments).
        booked(object): an AppointmentView was booked from the form.
        swept(object): the codes marked 未到 (list of str).
    """

    loaded = Signal(int)
    booked = Signal(object)
    swept = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.day = ctx.clock.today()
        self.rows: list[ap.AppointmentView] = []
        self.setObjectName("appointmentPanel")
        self.summary = named(QLabel(""), "appointmentSummary")
        self.table = record_table("appointmentTable", HEADERS, single=True)
        self.category = named(QComboBox(), "appointmentCategory")
        self.start = named(QTimeEdit(QTime(9, 0)), "appointmentStart")
        self.start.setDisplayFormat("HH:mm")
        self.name = named(QLineEdit(), "appointmentName")
        self.name.setPlaceholderText("申请人姓名")
        self.phone = named(QLineEdit(), "appointmentPhone")
        self.phone.setPlaceholderText("联系电话")
        self.id_no = named(QLineEdit(), "appointmentIdNo")
        self.id_no.setPlaceholderText("身份证号码（可不填）")
        self.source = named(QComboBox(), "appointmentSource")
        for key in ("phone", "counter"):
            self.source.addItem(ap.SOURCE_LABELS[key], key)
        self.book_button = named(QPushButton("登记预约"), "bookAppointmentButton")
        self.book_button.clicked.connect(self.book)
        self.cancel_button = named(QPushButton("取消选中预约"), "cancelAppointmentButton")
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.sweep_button = named(QPushButton("过时未签到的记为未到"), "sweepAppointmentsButton")
        self.sweep_button.clicked.connect(self.sweep)
        self.message = named(QLabel(""), "appointmentMessage")
        self.message.setWordWrap(True)

        form = QGridLayout()
        form.addWidget(QLabel("类别"), 0, 0)
        form.addWidget(self.category, 0, 1)
        form.addWidget(QLabel("时段开始"), 0, 2)
        form.addWidget(self.start, 0, 3)
        form.addWidget(QLabel("来源"), 0, 4)
        form.addWidget(self.source, 0, 5)
        form.addWidget(self.name, 1, 0, 1, 2)
        form.addWidget(self.phone, 1, 2, 1, 2)
        form.addWidget(self.id_no, 1, 4, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.book_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sweep_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    # --- reading ----------------------------------------------------------------------------------------------

    def show_day(self, day: dt.date) -> None:
        self.day = day
        self.reload()

    def reload(self) -> None:
        store, hall, day = self.ctx.store, self.ctx.hall_code, self.day

        def load() -> tuple[list[ap.AppointmentView], dict[str, str]]:
            with store.read() as s:
                return ap.list_day(s, hall_code=hall, day=day), q.hall_categories(s, hall)

        self.ctx.runner.submit(load, self._show, self._failed)

    def _show(self, loaded: tuple[list[ap.AppointmentView], dict[str, str]]) -> None:
        self.rows, categories = loaded
        if self.category.count() != len(categories):
            self.category.clear()
            for letter, name in categories.items():
                self.category.addItem(name if name.startswith(letter) else f"{letter} {name}", letter)
        clock = self.ctx.clock
        self.table.setRowCount(len(self.rows))
        for r, a in enumerate(self.rows):
            name = categories.get(a.category, "")
            cells = (a.slot_label(clock), a.code, name if name.startswith(a.category) else f"{a.category} {name}".strip(),
                     a.masked_name or "—", a.state_label, a.ticket_code or "—", a.source_label)
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()  # 迟到（已取普通号） whole, not cut; the source column takes the rest
        tally = {k: sum(1 for a in self.rows if a.state == k) for k in ap.STATE_LABELS}
        self.summary.setText(f"{self.day.isoformat()} 预约 {len(self.rows) - tally['cancelled']} 个："
                             f"已签到 {tally['checked_in']}，待签到 {tally['booked']}，迟到 {tally['late']}，"
                             f"未到 {tally['missed']}，已取消 {tally['cancelled']}")
        self.loaded.emit(len(self.rows))

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(exc.message if isinstance(exc, CounterError) else f"操作失败，请稍后重试：{exc}")
        self.message.setStyleSheet("color: #c0392b;")

    def _said(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("")

    # --- acts -------------------------------------------------------------------------------------------------

    def book(self) -> None:
        qs, store, hall, clock = self.ctx.settings.queue, self.ctx.store, self.ctx.hall_code, self.ctx.clock
        t = self.start.time()
        booking = ap.Booking(category=str(self.category.currentData() or ""), day=self.day,
                             start=dt.time(t.hour(), t.minute()), name=self.name.text(), phone=self.phone.text(),
                             id_no=self.id_no.text())
        source, actor = str(self.source.currentData()), self.ctx.actor

        def done(a: ap.AppointmentView) -> None:
            self._said(f"已预约 {a.code}：{a.slot_label(clock)} {a.category} 类业务，请告知申请人预约码")
            for edit in (self.name, self.phone, self.id_no):
                edit.clear()
            self.booked.emit(a)
            self.reload()

        self.ctx.runner.submit(lambda: ap.book(store, booking, hall_code=hall, capacity=qs.appointment_capacity,
                                               slot_minutes=qs.appointment_slot_minutes, source=source,
                                               actor=actor, clock=clock), done, self._failed)

    def cancel_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self._failed(CounterError("请先在列表中选中要取消的预约"))
            return
        code, store, hall, clock = self.rows[row].code, self.ctx.store, self.ctx.hall_code, self.ctx.clock

        def done(a: ap.AppointmentView) -> None:
            self._said(f"预约 {a.code} 已取消，名额已释放")
            self.reload()

        self.ctx.runner.submit(lambda: ap.cancel(store, hall_code=hall, code=code, clock=clock), done, self._failed)

    def sweep(self) -> None:
        minutes, store, hall, clock = (self.ctx.settings.queue.appointment_noshow_minutes, self.ctx.store,
                                       self.ctx.hall_code, self.ctx.clock)

        def done(codes: list[str]) -> None:
            self._said(f"{len(codes)} 个预约记为未到" + (f"：{'、'.join(codes)}" if codes else ""))
            self.swept.emit(codes)
            self.reload()

        self.ctx.runner.submit(lambda: ap.sweep_missed(store, hall_code=hall, noshow_minutes=minutes, clock=clock),
                               done, self._failed)


__all__ = ["AppointmentPanel"]
