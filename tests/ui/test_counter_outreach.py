"""上门服务 and 政务专递收件 from the intake form's 收件方式 row (issue 18), through the real widgets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from app.store import Store
from tests.ui._counter_kit import demo_ctx, type_text
from tests.ui.test_counter_flow import accept_by_click, child, choose_matter, fill_applicant, open_counter


def _way(window, way: str) -> None:  # type: ignore[no-untyped-def]
    combo = child(window, QComboBox, "intakeWayCombo")
    combo.setCurrentIndex(combo.findData(way))


def test_home_visit_from_the_form_is_kept_on_the_case(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    window = open_counter(qtbot, demo_ctx(tmp_path, store))
    assert not child(window, QLineEdit, "homePlaceEdit").isVisible()
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    _way(window, "home")
    assert child(window, QLineEdit, "homePlaceEdit").isVisible()
    type_text(child(window, QLineEdit, "homePlaceEdit"), "乌兰花镇某嘎查 3 号")
    type_text(child(window, QLineEdit, "homeStaffEdit"), "王芳、乌云")
    case = accept_by_click(qtbot, window)
    assert case.home_visit is not None
    assert case.home_visit["place"] == "乌兰花镇某嘎查 3 号" and case.home_visit["staff"] == ["王芳", "乌云"]
    assert case.post_in is None
    assert child(window, QComboBox, "intakeWayCombo").currentData() == "counter"  # fresh for the next one


def test_post_in_from_the_form_records_tracking_sender_and_date(qtbot: QtBot, tmp_path: Path,
                                                               store: Store) -> None:
    ctx = demo_ctx(tmp_path, store)
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    _way(window, "post")
    type_text(child(window, QLineEdit, "postTrackingEdit"), "12")
    type_text(child(window, QLineEdit, "postSenderEdit"), "其其格")
    received = ctx.clock.today() - dt.timedelta(days=2)
    child(window, QDateEdit, "postReceivedEdit").setDate(QDate(received.year, received.month, received.day))
    window.intake.accept_button.click()
    qtbot.waitUntil(lambda: "邮件号" in child(window, QLabel, "intakeError").text())
    child(window, QLineEdit, "postTrackingEdit").clear()
    type_text(child(window, QLineEdit, "postTrackingEdit"), "EP123456789CN")
    case = accept_by_click(qtbot, window)
    assert case.post_in == {"tracking_no": "EP123456789CN", "sender": "其其格", "received_on": received.isoformat()}
