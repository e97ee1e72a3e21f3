"""The display, the kiosk and the rating screen in both scripts: the Mongolian is there (from the vocabulary and
the shipped catalog), in the configured order, follows the hall's choice and this PC's override, and is gone when
the output is Chinese only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app import queue as q
from app.catalog.loader import load_catalog
from app.catalog.store import ensure_catalog
from app.settings import load_settings
from app.store import Store
from app.store.models import Case, Hall
from app.vocabulary import mongolian
from tests.app.queue_hall import HALL
from tests.ui.queue_ctx import hall_context
from ui.context import AppContext
from ui.display import HallDisplay
from ui.kiosk import Kiosk
from ui.rating import RatingScreen
from ui.tasks import InlineRunner
from ui.voice import Announcer

CATEGORY_A_MN = load_catalog().categories_mn["A"]  # the shipped [categories_mn]: 社保医保


def _set_hall_bilingual(store: Store, on: bool) -> None:
    with store.write() as s:
        hall = s.get(Hall, HALL)
        assert hall is not None
        hall.bilingual = on


def _left_of(a: QWidget, b: QWidget) -> bool:
    return a.mapToGlobal(a.rect().topRight()).x() <= b.mapToGlobal(b.rect().topLeft()).x()


def _above(a: QWidget, b: QWidget) -> bool:
    return a.mapToGlobal(a.rect().bottomLeft()).y() <= b.mapToGlobal(b.rect().topLeft()).y()


@pytest.fixture
def hall(sqlite_store: Store) -> AppContext:
    ctx = hall_context(sqlite_store)
    ensure_catalog(sqlite_store)  # the shipped catalog, with its Mongolian category names
    return ctx


def _display(qtbot: QtBot, ctx: AppContext) -> HallDisplay:
    display = HallDisplay(ctx, announcer=Announcer(speaker=None, auto=False), interval_ms=100)
    qtbot.addWidget(display)
    display.resize(1366, 768)
    display.show()
    qtbot.waitExposed(display)
    return display


def test_display_calls_windows_and_waiting_in_both_scripts_mongolian_first(qtbot: QtBot, hall: AppContext) -> None:
    store, clock = hall.store, hall.clock
    ticket = q.confirm_printed(store, q.issue_ticket(store, hall_code=HALL, category="A", clock=clock).id, clock=clock)
    display = _display(qtbot, hall)
    q.call_next(store, hall_code=HALL, window_number=2, request_id="c1", clock=clock)
    with qtbot.waitSignal(display.called, timeout=3000):
        pass
    expected = mongolian("请 {code} 号到 {window} 号窗口办理").format(code=ticket.code, window=2)
    assert display.call_mn.text() == expected and display.call_mn.is_vertical()
    assert display.call_pair.order() == ["mn", "zh"]
    qtbot.waitUntil(lambda: _left_of(display.call_mn, display.call_label))  # once the new text is laid out
    card = display._cards[2]
    assert card.title_mn.text() == mongolian("{n} 号窗口").format(n=2) and card.pair.order() == ["mn", "zh"]
    qtbot.waitUntil(lambda: _left_of(card.title_mn, card.title))
    assert display.recent_pair.order() == ["mn", "zh"]
    qtbot.waitUntil(lambda: CATEGORY_A_MN in display.waiting_mn.text(), timeout=3000)  # the catalog's name
    qtbot.waitUntil(lambda: _above(display.waiting_mn, display.waiting_label))
    assert display.notice.parts() == [("mn", mongolian(hall.settings.queue.notice)),
                                      ("zh", hall.settings.queue.notice)]


def test_display_chinese_first_then_hall_off_then_this_pc_on(qtbot: QtBot, hall: AppContext) -> None:
    hall.settings.language.first = "zh"
    display = _display(qtbot, hall)
    qtbot.waitUntil(lambda: display.board is not None, timeout=3000)
    assert display.call_pair.order() == ["zh", "mn"]
    qtbot.waitUntil(lambda: _left_of(display.call_label, display.call_mn))
    assert [lang for lang, _text in display.notice.parts()] == ["zh", "mn"]
    _set_hall_bilingual(hall.store, False)  # the hall switches to Chinese only: the next read shows it
    qtbot.waitUntil(lambda: display.call_pair.order() == ["zh"], timeout=3000)
    assert display.call_mn.isHidden() and display.waiting_mn.isHidden()
    assert display.notice.parts() == [("zh", hall.settings.queue.notice)]
    assert all(card.title_mn.isHidden() for card in display._cards.values())
    hall.settings.language.bilingual = "on"  # this PC overrides the hall
    qtbot.waitUntil(lambda: display.call_pair.order() == ["zh", "mn"], timeout=3000)
    assert not display.call_mn.isHidden()


def _kiosk(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> Kiosk:
    ctx.settings.printing.output_dir = str(tmp_path / "tickets")
    kiosk = Kiosk(ctx, cooldown_ms=300)
    qtbot.addWidget(kiosk)
    kiosk.resize(1024, 768)
    kiosk.show()
    qtbot.waitExposed(kiosk)
    return kiosk


def test_kiosk_buttons_prompts_and_ticket_in_both_scripts(qtbot: QtBot, hall: AppContext, tmp_path: Path) -> None:
    kiosk = _kiosk(qtbot, hall, tmp_path)
    button = kiosk.category_buttons["A"]
    assert button.mongolian_text() == CATEGORY_A_MN and button.order() == ["mn", "zh"]
    assert "社保医保" in button.chinese_text()
    assert kiosk.title_mn.text() == mongolian("自助取号")
    qtbot.waitUntil(lambda: _left_of(kiosk.title_mn, kiosk.title))
    assert kiosk.hint_pair.order() == ["mn", "zh"]
    assert kiosk.priority_buttons["elder"].mongolian_text() == mongolian("老年人优先")
    assert kiosk.checkin_button.order() == ["mn", "zh"]
    with qtbot.waitSignal(kiosk.issued, timeout=5000):
        button.click()
    assert kiosk.status_mn.text().startswith(mongolian("请取走号票")) and not kiosk.status_mn.isHidden()
    qtbot.waitUntil(lambda: _above(kiosk.status_mn, kiosk.status))
    from tests.printing.pdf_tools import pdf_text

    [pdf] = list((tmp_path / "tickets").rglob("*.pdf"))
    text = "".join(pdf_text(pdf.read_bytes()).split())
    assert "".join(CATEGORY_A_MN.split()) in text  # the printed ticket carries the catalog's Mongolian name


def test_kiosk_chinese_only_when_this_pc_is_off(qtbot: QtBot, hall: AppContext, tmp_path: Path) -> None:
    hall.settings.language.bilingual = "off"
    kiosk = _kiosk(qtbot, hall, tmp_path)
    qtbot.waitUntil(lambda: bool(kiosk.category_buttons), timeout=3000)
    assert all(b.order() == ["zh"] for b in kiosk.category_buttons.values())
    assert kiosk.title_mn.isHidden() and kiosk.hint_mn.isHidden() and kiosk.checkin_button.order() == ["zh"]
    with qtbot.waitSignal(kiosk.issued, timeout=5000):
        kiosk.category_buttons["B"].click()
    assert kiosk.status_mn.isHidden()
    from tests.printing.pdf_tools import pdf_text

    [pdf] = list((tmp_path / "tickets").rglob("*.pdf"))
    assert not any("\u1800" <= ch <= "\u18af" for ch in pdf_text(pdf.read_bytes()))


@pytest.fixture
def rating_ctx(sqlite_store: Store) -> AppContext:
    from tests.app.report_day import HALL as DAY_HALL
    from tests.app.report_day import at, build_day

    build_day(sqlite_store)
    with sqlite_store.write() as s:
        case = s.query(Case).filter(Case.case_no == "C2").one()
        case.matter_snapshot = {**(case.matter_snapshot or {}), "name_mn": "ᠢᠳᠡᠭᠡᠨ ᠦ ᠠᠵᠤ ᠠᠬᠤᠢ ᠶᠢᠨ ᠵᠥᠪᠰᠢᠶᠡᠷᠡᠯ"}
    settings = load_settings()
    settings.hall.code = DAY_HALL
    from app.clock import HallClock

    return AppContext(settings=settings, store=sqlite_store, runner=InlineRunner(), window_number=1,
                      clock=HallClock.frozen(at(16, 0)))


def test_rating_screen_waiting_form_and_matter_name_in_both_scripts(qtbot: QtBot, rating_ctx: AppContext) -> None:
    from ui.rating_request import ask_for_rating

    screen = RatingScreen(rating_ctx, poll_ms=60_000)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.idle_mn.is_vertical() and mongolian("{n} 号窗口").format(n=1) in screen.idle_mn.text()
    assert screen.idle_pair.order() == ["mn", "zh"]
    qtbot.waitUntil(lambda: _left_of(screen.idle_mn, screen.idle_label))
    ask_for_rating(rating_ctx, case_no="C2")
    with qtbot.waitSignal(screen.request_shown):
        screen.poll()
    assert "ᠢᠳᠡᠭᠡᠨ ᠦ ᠠᠵᠤ ᠠᠬᠤᠢ ᠶᠢᠨ ᠵᠥᠪᠰᠢᠶᠡᠷᠡᠯ" in screen.subtitle_mn.text()  # the matter's catalog name
    qtbot.waitUntil(lambda: _above(screen.title_mn, screen.title) and _above(screen.subtitle_mn, screen.subtitle))
    assert [b.order() for b in screen.level_buttons] == [["mn", "zh"]] * 5
    assert screen.level_buttons[0].mongolian_text() == mongolian("非常满意")
    rating_ctx.settings.language.bilingual = "off"
    screen.poll()
    assert screen.title_mn.isHidden() and screen.subtitle_mn.isHidden()
    assert [b.order() for b in screen.level_buttons] == [["zh"]] * 5 and screen.submit_button.order() == ["zh"]


def test_display_hall_and_window_names_in_both_scripts(qtbot: QtBot, hall: AppContext) -> None:
    """[hall] name_mn beside the hall's name and a window's Mongolian name in its card's column, Mongolian first
    (configured order), and Chinese first when the setting says so."""
    from app.store.models import Window

    hall_mn = "ᠳᠦᠷᠪᠡᠨ ᠬᠡᠦᠬᠡᠳ ᠬᠣᠰᠢᠭᠤ"  # Dörben Keüked qosiγu (四子王旗)
    hall.settings.hall.name_mn = hall_mn
    with hall.store.write() as s:
        window = s.query(Window).filter_by(hall_code=HALL, number=2).one()
        window.name_mn = CATEGORY_A_MN
    display = _display(qtbot, hall)
    qtbot.waitUntil(lambda: 2 in display._cards, timeout=3000)
    assert display.hall_mn.text() == hall_mn and display.hall_pair.order() == ["mn", "zh"]
    qtbot.waitUntil(lambda: _left_of(display.hall_mn, display.hall_label))
    card = display._cards[2]
    assert card.title_mn.text() == f"{mongolian('{n} 号窗口').format(n=2)} {CATEGORY_A_MN}"
    assert display._cards[1].title_mn.text() == mongolian("{n} 号窗口").format(n=1)  # none configured
    display.close()
    hall.settings.language.first = "zh"
    second = _display(qtbot, hall)
    qtbot.waitUntil(lambda: second.board is not None, timeout=3000)
    assert second.hall_pair.order() == ["zh", "mn"]
    qtbot.waitUntil(lambda: _left_of(second.hall_label, second.hall_mn))


def test_display_announcer_follows_the_hall_s_bilingual_setting(qtbot: QtBot, hall: AppContext) -> None:
    """The display builds its voice with ui.voice.announcer_for(hall_bilingual=…) from the board it read, and
    builds it again when the hall switches."""
    _set_hall_bilingual(hall.store, False)
    display = HallDisplay(hall, interval_ms=100)
    qtbot.addWidget(display)
    qtbot.waitUntil(lambda: display.board is not None, timeout=3000)
    assert display.announcer.order == ("zh",)
    _set_hall_bilingual(hall.store, True)
    qtbot.waitUntil(lambda: display.announcer.order == ("mn", "zh"), timeout=3000)
    hall.settings.language.bilingual = "off"  # this PC overrides the hall
    qtbot.waitUntil(lambda: display.announcer.order == ("zh",), timeout=3000)
