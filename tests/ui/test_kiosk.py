"""The kiosk: a tap issues, prints and only then counts; a failed print voids with a message; double taps."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app import queue as q
from app.clock import HallClock
from app.errors import QueueEmpty
from app.store import Store
from tests.app.queue_hall import HALL
from tests.ui.queue_ctx import hall_context
from ui.kiosk import PRIORITY_CONFIRM, Kiosk
from ui.voice import Announcer, TtsSpeaker


def _tickets(store: Store) -> list[q.TicketView]:
    with store.read() as s:
        return q.list_tickets(s, hall_code=HALL, service_date=HallClock().today())


@pytest.fixture
def kiosk(qtbot: QtBot, sqlite_store: Store, tmp_path: Path) -> Kiosk:
    ctx = hall_context(sqlite_store)
    ctx.settings.printing.output_dir = str(tmp_path / "tickets")
    k = Kiosk(ctx, cooldown_ms=300)
    qtbot.addWidget(k)
    k.resize(1024, 768)
    k.show()
    return k


def test_tap_prints_a_ticket_and_it_joins_the_queue(kiosk: Kiosk, qtbot: QtBot, sqlite_store: Store,
                                                    tmp_path: Path) -> None:
    assert set(kiosk.category_buttons) == {"A", "B", "C"}
    button = kiosk.findChild(QPushButton, "categoryButton_B")
    with qtbot.waitSignal(kiosk.issued) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    ticket = blocker.args[0]
    assert ticket.code == "B001" and ticket.state == "waiting"
    assert "请取走号票　B001" in kiosk.status.text()
    pdfs = list((tmp_path / "tickets").glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert [(t.code, t.state) for t in _tickets(sqlite_store)] == [("B001", "waiting")]


def test_elder_priority_button(kiosk: Kiosk, qtbot: QtBot) -> None:
    qtbot.mouseClick(kiosk.findChild(QPushButton, "elderButton"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(kiosk.issued) as blocker:
        qtbot.mouseClick(kiosk.category_buttons["A"], Qt.MouseButton.LeftButton)
    assert blocker.args[0].priority == "elder"
    assert not kiosk.priority_buttons["elder"].isChecked()  # the next applicant starts without it


def test_failed_print_voids_the_ticket_and_says_so(qtbot: QtBot, sqlite_store: Store, tmp_path: Path) -> None:
    ctx = hall_context(sqlite_store)
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("x", encoding="utf-8")
    ctx.settings.printing.output_dir = str(blocked / "tickets")  # cannot be created: the "printer" fails
    kiosk = Kiosk(ctx, cooldown_ms=300)
    qtbot.addWidget(kiosk)
    with qtbot.waitSignal(kiosk.failed) as blocker:
        qtbot.mouseClick(kiosk.category_buttons["A"], Qt.MouseButton.LeftButton)
    assert "号票打印失败" in blocker.args[0] and "A001 已作废" in kiosk.status.text()
    assert kiosk.status.property("error") is True
    assert [(t.code, t.state) for t in _tickets(sqlite_store)] == [("A001", "void")]
    with pytest.raises(QueueEmpty):
        q.call_next(sqlite_store, hall_code=HALL, window_number=2, request_id="r", clock=ctx.clock)


def test_double_tap_draws_one_number(kiosk: Kiosk, qtbot: QtBot, sqlite_store: Store) -> None:
    with qtbot.waitSignal(kiosk.issued):
        qtbot.mouseClick(kiosk.category_buttons["A"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(kiosk.category_buttons["A"], Qt.MouseButton.LeftButton)
    assert len(_tickets(sqlite_store)) == 1
    qtbot.waitUntil(lambda: kiosk.category_buttons["A"].isEnabled(), timeout=3000)
    with qtbot.waitSignal(kiosk.issued):
        qtbot.mouseClick(kiosk.category_buttons["A"], Qt.MouseButton.LeftButton)
    assert [t.code for t in _tickets(sqlite_store)] == ["A001", "A002"]


def test_unknown_appointment_is_explained(kiosk: Kiosk, qtbot: QtBot) -> None:
    kiosk.appointment_edit.setText("YY404")
    with qtbot.waitSignal(kiosk.failed) as blocker:
        qtbot.mouseClick(kiosk.checkin_button, Qt.MouseButton.LeftButton)
    assert "没有找到今天的预约" in blocker.args[0]


def test_keypad_types_the_code_by_touch_alone(kiosk: Kiosk, qtbot: QtBot) -> None:
    """No physical keyboard: a tap on 预约签到 with nothing typed opens the keypad; its keys type; 确认 checks in."""
    qtbot.mouseClick(kiosk.checkin_button, Qt.MouseButton.LeftButton)
    assert kiosk.current_page() == "keypad" and kiosk.keypad.isVisible()
    assert not kiosk.keypad.confirm.isEnabled()  # nothing to confirm yet
    for key in "150105X":
        qtbot.mouseClick(kiosk.keypad.keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(kiosk.keypad.backspace, Qt.MouseButton.LeftButton)
    assert kiosk.appointment_edit.text() == "150105"
    assert kiosk.keypad.display.text() == "1501 05"
    for key in "1234567890123":  # an 18-digit ID is the longest input; the 19th key is ignored
        qtbot.mouseClick(kiosk.keypad.keys[key], Qt.MouseButton.LeftButton)
    assert kiosk.appointment_edit.text() == "150105123456789012"
    assert kiosk.keypad.display.text() == "150105 12345678 9012"  # grouped 6-8-4 to check against the card
    with qtbot.waitSignal(kiosk.failed) as blocker:
        qtbot.mouseClick(kiosk.keypad.confirm, Qt.MouseButton.LeftButton)
    assert "没有找到今天的预约" in blocker.args[0]
    qtbot.mouseClick(kiosk.keypad.back, Qt.MouseButton.LeftButton)
    assert kiosk.current_page() == "categories"


def test_elder_mode_takes_a_number_in_one_tap_with_larger_type(kiosk: Kiosk, qtbot: QtBot) -> None:
    normal = kiosk.category_buttons["A"].font().pixelSize()
    qtbot.mouseClick(kiosk.elder_button, Qt.MouseButton.LeftButton)
    assert kiosk.elder_mode and kiosk.category_buttons["A"].font().pixelSize() > normal
    assert kiosk.priority_row.isHidden()  # one choice fewer: 老年人优先 is already chosen
    with qtbot.waitSignal(kiosk.issued) as blocker:
        qtbot.mouseClick(kiosk.category_buttons["A"], Qt.MouseButton.LeftButton)
    assert blocker.args[0].priority == "elder"
    assert not kiosk.elder_mode and not kiosk.priority_row.isHidden()  # the next applicant starts normal
    assert kiosk.category_buttons["A"].font().pixelSize() == normal


def test_help_call_reaches_the_supervisor_once_until_answered(kiosk: Kiosk, qtbot: QtBot,
                                                              sqlite_store: Store) -> None:
    from ui.kiosk_help import HelpCallBanner

    with qtbot.waitSignal(kiosk.help_called):
        qtbot.mouseClick(kiosk.help_button, Qt.MouseButton.LeftButton)
    assert "已呼叫工作人员" in kiosk.status.text()
    kiosk.call_help()  # an impatient second tap: the same call
    banner = HelpCallBanner(kiosk.ctx, poll_ms=60_000)
    qtbot.addWidget(banner)
    banner.show()
    banner.reload()
    assert len(banner.calls) == 1 and banner.isVisible()
    assert kiosk.ctx.host in banner.text.text() and "请派工作人员" in banner.text.text()
    qtbot.mouseClick(banner.answer_button, Qt.MouseButton.LeftButton)
    assert banner.calls == [] and banner.isHidden()
    kiosk.call_help()  # a new call after the answer is a new row
    banner.reload()
    assert len(banner.calls) == 1


@pytest.mark.date_sensitive
def test_pregnant_and_military_buttons_say_the_clerk_confirms_print_the_reason_and_are_counted(
        kiosk: Kiosk, qtbot: QtBot, sqlite_store: Store, tmp_path: Path) -> None:
    from app.reports.daily import daily_report
    from tests.printing.pdf_tools import pdf_text

    for kind, name, label in (("pregnant", "pregnantButton", "孕妇"), ("military", "militaryButton", "军人/消防")):
        qtbot.waitUntil(lambda: not kiosk.busy, timeout=3000)
        qtbot.mouseClick(kiosk.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
        assert "由工作人员确认" in kiosk.status.text()  # the kiosk cannot check: it says who does
        with qtbot.waitSignal(kiosk.issued) as blocker:
            qtbot.mouseClick(kiosk.category_buttons["C"], Qt.MouseButton.LeftButton)
        assert blocker.args[0].priority == kind and blocker.args[0].green_label == label
    assert "军人、消防救援人员依法优先" in PRIORITY_CONFIRM["military"]
    texts = [pdf_text(p.read_bytes()) for p in sorted((tmp_path / "tickets").glob("*.pdf"))]
    assert any("孕妇绿色通道" in t for t in texts) and any("军人/消防绿色通道" in t for t in texts)
    with sqlite_store.read() as s:
        summary = daily_report(s, start=kiosk.ctx.clock.today(), hall_code=HALL, clock=kiosk.ctx.clock).summary()
    counted = {k: v for k, v, _ in summary if k.startswith("绿色通道：")}
    assert counted == {"绿色通道：孕妇": "1", "绿色通道：军人/消防": "1"}


def _spoken(announcer: Announcer) -> list[str]:
    """What the announcer's real (Qt "mock" engine) voice is asked to read, in order."""
    said: list[str] = []
    speaker = announcer.speaker
    assert isinstance(speaker, TtsSpeaker)
    real = speaker.speak_text

    def spy(text: str) -> None:
        said.append(text)
        real(text)

    speaker.speak_text = spy  # type: ignore[method-assign]
    return said


@pytest.mark.parametrize("mode", ["voice", "silent"])
def test_elder_mode_reads_each_step_aloud_unless_silent(qtbot: QtBot, sqlite_store: Store, tmp_path: Path,
                                                        mode: str) -> None:
    ctx = hall_context(sqlite_store)
    ctx.settings.printing.output_dir = str(tmp_path / "tickets")
    voice = Announcer(mode=mode, repeat=1, speaker=TtsSpeaker("mock"))
    said = _spoken(voice)
    kiosk = Kiosk(ctx, cooldown_ms=0, voice=voice)
    qtbot.addWidget(kiosk)
    kiosk.show()
    kiosk.call_help()  # not in 长辈模式: nothing is read
    assert said == []
    kiosk.set_elder_mode(True)
    kiosk.open_keypad()
    kiosk.show_page("categories")
    with qtbot.waitSignal(kiosk.issued):
        kiosk.category_buttons["B"].click()
    if mode == "silent":
        assert said == []  # 无声 mode says nothing, 长辈模式 or not
        return
    assert said[0].startswith("长辈模式：已为您选择老年人优先")
    assert said[1] == "请在下方键盘输入预约码或身份证号码"
    # The ticket's code letter by letter and digit by digit, as a call says it.
    assert " B 零零一 号" in said[-1] and "请取走号票" in said[-1] and said[-1].endswith("请留意大厅叫号")
    said.clear()
    kiosk.call_help()  # the next applicant starts in the normal mode: quiet again
    assert said == []


def test_the_kiosk_wording_added_for_elders_and_help_is_bilingual(kiosk: Kiosk) -> None:
    from app.vocabulary import mongolian

    assert kiosk.help_button.mongolian_text() == mongolian("呼叫工作人员") != ""
    assert kiosk.keypad.confirm.mongolian_text() == mongolian("确认签到") != ""
    kiosk.call_help()
    assert kiosk.status_mn.isVisible() and kiosk.status_mn.text() == mongolian("已呼叫工作人员，请稍候")
    kiosk.set_elder_mode(True)
    assert mongolian("老年人优先") in kiosk.status_mn.text()
