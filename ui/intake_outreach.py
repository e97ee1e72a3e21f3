"""The intake form's 收件方式 row: 窗口 (the default), 上门服务 (place, time, staff, why) or 政务专递收件 (tracking number,
sender, date received). What it holds goes on the request as ``home_visit`` / ``post_in`` (app.cases.outreach);
the service validates it, so an error names the field in Chinese and nothing is saved."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QComboBox, QDateEdit, QDateTimeEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.cases.outreach import HOME_REASONS, HomeVisitInput, PostInInput
from app.clock import HallClock


class OutreachRow(QWidget):
    """收件方式 and the fields of the chosen way; ``inputs()`` gives the request's (home_visit, post_in)."""

    def __init__(self, clock: HallClock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.setObjectName("outreachRow")
        self.way_combo = QComboBox()
        self.way_combo.setObjectName("intakeWayCombo")
        self.way_combo.addItem("窗口收件", "counter")
        self.way_combo.addItem("上门服务", "home")
        self.way_combo.addItem("政务专递收件（邮寄来件）", "post")
        self.place_edit = QLineEdit()
        self.place_edit.setObjectName("homePlaceEdit")
        self.place_edit.setPlaceholderText("上门地点，如 某嘎查某户")
        self.staff_edit = QLineEdit()
        self.staff_edit.setObjectName("homeStaffEdit")
        self.staff_edit.setPlaceholderText("上门人员，多人用顿号或逗号分隔")
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("homeReasonCombo")
        for key, label in HOME_REASONS.items():
            self.reason_combo.addItem(label, key)
        self.when_edit = QDateTimeEdit()
        self.when_edit.setObjectName("homeWhenEdit")
        self.when_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.tracking_edit = QLineEdit()
        self.tracking_edit.setObjectName("postTrackingEdit")
        self.tracking_edit.setPlaceholderText("邮件号")
        self.sender_edit = QLineEdit()
        self.sender_edit.setObjectName("postSenderEdit")
        self.sender_edit.setPlaceholderText("寄件人")
        self.received_edit = QDateEdit()
        self.received_edit.setObjectName("postReceivedEdit")
        self.received_edit.setDisplayFormat("yyyy-MM-dd")
        self.received_edit.setToolTip("大厅签收邮件的日期：办理时限自该日起算")
        self.home_widgets: tuple[QWidget, ...] = (self.place_edit, self.staff_edit, self.reason_combo, self.when_edit)
        self.post_widgets: tuple[QWidget, ...] = (self.tracking_edit, self.sender_edit, self.received_edit)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("收件方式"))
        row.addWidget(self.way_combo)
        for w in (*self.home_widgets, *self.post_widgets):
            row.addWidget(w, 1 if isinstance(w, QLineEdit) else 0)
        row.addStretch(0)
        self.way_combo.currentIndexChanged.connect(self._show_fields)
        self.clear()

    def _show_fields(self) -> None:
        way = self.way_combo.currentData()
        for w in self.home_widgets:
            w.setVisible(way == "home")
        for w in self.post_widgets:
            w.setVisible(way == "post")

    def clear(self) -> None:
        local = self.clock.local_now()
        self.way_combo.setCurrentIndex(0)
        for edit in (self.place_edit, self.staff_edit, self.tracking_edit, self.sender_edit):
            edit.clear()
        self.reason_combo.setCurrentIndex(0)
        self.when_edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                                             QTime(local.hour, local.minute)))
        self.received_edit.setDate(QDate(local.year, local.month, local.day))
        self._show_fields()

    def inputs(self) -> tuple[HomeVisitInput | None, PostInInput | None]:
        way = self.way_combo.currentData()
        if way == "home":
            q = self.when_edit.dateTime()
            d, t = q.date(), q.time()
            when = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=self.clock.zone)
            staff = tuple(s for s in self.staff_edit.text().replace("、", ",").replace("，", ",").split(","))
            return HomeVisitInput(place=self.place_edit.text(), at=when, staff=staff,
                                  reason=self.reason_combo.currentData()), None
        if way == "post":
            d = self.received_edit.date()
            return None, PostInInput(tracking_no=self.tracking_edit.text(), sender=self.sender_edit.text(),
                                     received_on=dt.date(d.year(), d.month(), d.day()))
        return None, None


__all__ = ["OutreachRow"]
