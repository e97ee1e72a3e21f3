"""预约签到 at the kiosk (real widgets): typed code, an ID card on the reader, and a late arrival told plainly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from pytestqt.qtbot import QtBot

from app.queue import appointments as ap
from app.store import Store
from tests.app.queue_hall import DAY, HALL, clock_at
from tests.ui.queue_ctx import hall_context
from ui.kiosk import Kiosk


class FakeCardReader(QObject):
    """Stands in for CardReaderService at the signal boundary (the serial reader is tested in tests/app)."""

    card_read = Signal(object)

    def stop(self) -> None:
        pass


class Card:
    def __init__(self, id_number: str) -> None:
        self.id_number = id_number


def _kiosk(qtbot: QtBot, store: Store, tmp_path: Path, minute: float) -> Kiosk:
    ctx = hall_context(store, clock=clock_at(minute))
    ctx.settings.printing.output_dir = str(tmp_path / "tickets")
    kiosk = Kiosk(ctx, cooldown_ms=100)
    qtbot.addWidget(kiosk)
    kiosk.resize(1024, 768)
    kiosk.show()
    return kiosk


def _book(store: Store, code: str, start: str, cat: str, id_no: str = "") -> None:
    res = ap.import_rows(store, [{"预约码": code, "预约日期": DAY.isoformat(), "开始时间": start, "业务类别": cat,
                                  "姓名": "张三", "证件号码": id_no}],
                         hall_code=HALL, capacity="4", slot_minutes=30, actor="test", first_line=1,
                         clock=clock_at(0))
    assert res.added == [code], res.refused


ID = "11010519491231002X"


def test_code_typed_checks_in_and_a_card_on_the_reader_too(qtbot: QtBot, sqlite_store: Store,
                                                           tmp_path: Path) -> None:
    kiosk = _kiosk(qtbot, sqlite_store, tmp_path, 60)
    _book(sqlite_store, "YY1", "10:00", "A")
    _book(sqlite_store, "YY2", "10:00", "B", id_no=ID)
    qtbot.keyClicks(kiosk.appointment_edit, "yy1")
    with qtbot.waitSignal(kiosk.issued) as blocker:
        qtbot.mouseClick(kiosk.checkin_button, Qt.MouseButton.LeftButton)
    ticket: Any = blocker.args[0]
    assert ticket.code == "A001" and ticket.appointment_id is not None and ticket.state == "waiting"
    reader = FakeCardReader()
    kiosk.checkin.attach_reader(reader)
    qtbot.waitUntil(lambda: not kiosk.busy, timeout=3000)
    with qtbot.waitSignal(kiosk.issued) as blocker:
        reader.card_read.emit(Card(ID))
    assert blocker.args[0].code == "B001" and blocker.args[0].appointment_id is not None
    with sqlite_store.read() as s:
        states = {a.code: (a.state, a.ticket_code) for a in ap.list_day(s, hall_code=HALL, day=DAY)}
    assert states == {"YY1": ("checked_in", "A001"), "YY2": ("checked_in", "B001")}


def test_a_late_arrival_gets_an_ordinary_ticket_and_is_told(qtbot: QtBot, sqlite_store: Store,
                                                           tmp_path: Path) -> None:
    kiosk = _kiosk(qtbot, sqlite_store, tmp_path, 60)  # 10:00: the 09:00–09:30 slot ended 30 minutes ago
    _book(sqlite_store, "YY3", "09:00", "C")
    kiosk.appointment_edit.setText("YY3")
    with qtbot.waitSignal(kiosk.issued) as blocker:
        kiosk.check_in()
    assert blocker.args[0].appointment_id is None
    text = kiosk.status.text()
    assert "预约作迟到处理" in text and "请按普通号排队等候" in text and "请取走号票　C001" in text
    kiosk.appointment_edit.setText("YY3")
    qtbot.waitUntil(lambda: not kiosk.busy, timeout=3000)
    with qtbot.waitSignal(kiosk.failed) as failed:
        kiosk.check_in()
    assert "已按迟到处理" in failed.args[0]
