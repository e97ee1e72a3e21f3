"""The supervisor's 今日预约 tab (real widgets): the day's list, a phone booking from the form with a full slot
refused, cancel, and the no-show sweep; it sits in the supervisor screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QTime
from pytestqt.qtbot import QtBot

from app.queue import appointments as ap
from app.store import Store
from tests.app.queue_hall import DAY, HALL, clock_at
from tests.ui.queue_ctx import hall_context
from ui.supervisor import SupervisorWindow
from ui.supervisor_appointments import AppointmentPanel


def test_book_refuse_full_cancel_and_sweep(qtbot: QtBot, sqlite_store: Store) -> None:
    ctx = hall_context(sqlite_store, clock=clock_at(0))
    ctx.settings.queue.appointment_capacity = "A=1, *=4"
    panel = AppointmentPanel(ctx)
    qtbot.addWidget(panel)
    panel.show_day(DAY)
    assert panel.category.count() == 3 and panel.summary.text().startswith("2026-03-10 预约 0 个")
    panel.category.setCurrentIndex(panel.category.findData("A"))
    panel.start.setTime(QTime(10, 0))
    panel.name.setText("张三")
    panel.phone.setText("13800001111")
    with qtbot.waitSignal(panel.booked) as blocker:
        panel.book_button.click()
    booked = blocker.args[0]
    assert booked.source == "phone" and "请告知申请人预约码" in panel.message.text()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "10:00–10:30"
    assert panel.table.item(0, 3).text() == "张*" and panel.table.item(0, 4).text() == "已预约"
    assert panel.name.text() == ""
    panel.name.setText("李四")
    panel.book_button.click()
    assert "A 类预约已满（1 人），请选择其他时段" in panel.message.text() and panel.table.rowCount() == 1
    panel.category.setCurrentIndex(panel.category.findData("B"))
    panel.start.setTime(QTime(9, 30))
    with qtbot.waitSignal(panel.booked):
        panel.book_button.click()
    panel.table.selectRow(0)  # 09:30 B sorts first
    panel.cancel_button.click()
    assert "已取消" in panel.message.text()
    panel.ctx.clock = clock_at(151)  # 11:31: the 10:00 slot ended over an hour ago
    with qtbot.waitSignal(panel.swept) as swept:
        panel.sweep_button.click()
    assert swept.args[0] == [booked.code]
    assert "已签到 0，待签到 0，迟到 0，未到 1，已取消 1" in panel.summary.text()


def test_the_supervisor_screen_shows_the_list_and_it_is_screenshotted(qtbot: QtBot, sqlite_store: Store,
                                                                        tmp_path: Path) -> None:
    ctx = hall_context(sqlite_store, clock=clock_at(0))
    for i, (cat, start, name) in enumerate((("A", "09:30", "张三"), ("B", "10:00", "李四"), ("C", "10:30", "王五"))):
        ap.book(sqlite_store, ap.Booking(category=cat, day=DAY, start=dt.time.fromisoformat(start), name=name,
                                         phone=f"1380000{i:04d}"),
                hall_code=HALL, capacity="4", slot_minutes=30, source="phone", clock=clock_at(0))
    window = SupervisorWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.show_day(DAY)
    window.tabs.setCurrentWidget(window.appointments)
    assert window.appointments.table.rowCount() == 3
    assert [window.appointments.table.item(r, 1).text()[:6] for r in range(3)] == ["YY0310"] * 3
    shot = tmp_path / "appointments.png"
    assert window.grab().save(str(shot)) and shot.stat().st_size > 0
