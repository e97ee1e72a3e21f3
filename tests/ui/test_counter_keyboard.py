"""One keyboard path through the whole case: Tab from the ID number visits every enabled control of the counter
once, in reading order — applicant, matter, each material, 结果领取, the buttons, then the queue panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from app.store import Store
from tests.ui._counter_kit import demo_ctx
from ui.counter import CounterWindow


def _walk(start: QWidget, limit: int = 200) -> list[QWidget]:
    start.setFocus()
    seen: list[QWidget] = []
    for _ in range(limit):
        widget = QApplication.focusWidget()
        assert widget is not None, "Tab lost the focus"
        if widget in seen:
            break
        seen.append(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    return seen


def _tab_stops(window: QWidget) -> list[QWidget]:
    def inner_part(w: QWidget) -> bool:  # the line edit inside an editable combo or a spin box
        parent = w.parentWidget()
        return isinstance(w, QLineEdit) and isinstance(parent, (QComboBox, QAbstractSpinBox))

    return [w for w in window.findChildren(QWidget)
            if w.isVisible() and w.isEnabled() and not inner_part(w) and not isinstance(w, QTabWidget)
            and (w.focusPolicy() & Qt.FocusPolicy.TabFocus) == Qt.FocusPolicy.TabFocus]


def test_tab_from_the_id_visits_every_control_in_reading_order(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    window = CounterWindow(demo_ctx(tmp_path, store))
    qtbot.addWidget(window)
    window.resize(1366, 740)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    matter = next(m for m in load_catalog().matters if len(m.materials) >= 4)
    window.intake.set_matter(matter)
    qtbot.waitUntil(lambda: window.intake.checklist.tab_chain()[-1].isVisible())  # new rows are shown queued
    walked = _walk(window.intake.applicant.id_edit)
    names = [w.objectName() for w in walked]

    missed = [f"{type(w).__name__}:{w.objectName()}" for w in _tab_stops(window) if w not in walked]
    assert not missed, f"Tab never reaches {missed}"
    keys = [m.key for m in matter.materials if m.applies(organisation=False, proxy=False)]
    reading_order = ["idNumberEdit", "applicantNameEdit", "phoneEdit", "addressEdit", "matterSearchEdit",
                     "matterResults", "allReceivedButton",
                     *(n for k in keys for n in (f"materialState_{k}", f"attach_{k}")),
                     "deliveryCombo", "refusalGroundCombo", "clearButton", "acceptButton", "callNextButton"]
    assert set(reading_order) <= set(names), sorted(set(reading_order) - set(names))
    positions = [names.index(n) for n in reading_order]
    assert positions == sorted(positions), [names[p] for p in positions]


def test_the_mail_address_is_reached_by_keyboard_once_mail_is_chosen(qtbot: QtBot, tmp_path: Path,
                                                                   store: Store) -> None:
    window = CounterWindow(demo_ctx(tmp_path, store))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.intake.set_matter(next(m for m in load_catalog().matters if "mail" in m.delivery))
    delivery = window.findChild(QComboBox, "deliveryCombo")
    delivery.setFocus()
    QTest.keyClick(delivery, Qt.Key.Key_Down)  # 窗口领取 → 政务专递, by keyboard alone
    assert delivery.currentData() == "mail"
    QTest.keyClick(delivery, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.intake.mail_edit
