"""Every screen at the sizes halls have — a 1366×768 counter PC, a 1920×1080 one, a portrait 1080×1920 kiosk or
display — with no text cut and no control outside the window (tests/ui/layout_check.py). Sizes are the usable
area: a taskbar takes 40 px of a landscape screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from app.store import Store
from printing import samples
from printing.documents import render
from tests.hall_clock import CLOCK
from tests.ui._counter_kit import demo_ctx
from tests.ui.layout_check import layout_problems
from tests.ui.queue_ctx import hall_context
from ui.tasks import InlineRunner

SIZES = {"1366x768": (1366, 728), "1920x1080": (1920, 1040), "portrait": (1080, 1880)}
Factory = Callable[[Path, Store], QWidget]


def _counter(tmp: Path, store: Store) -> QWidget:
    from ui.counter import CounterWindow

    window = CounterWindow(demo_ctx(tmp, store))
    window.intake.set_matter(max(load_catalog().matters, key=lambda m: len(m.materials)))
    return window


def _lookup(tmp: Path, store: Store) -> QWidget:
    window = _counter(tmp, store)
    window.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    return window


def _login(tmp: Path, store: Store) -> QWidget:
    from ui.login import LoginWindow

    return LoginWindow(demo_ctx(tmp, store, login=None, window=None))


def _supervisor(tmp: Path, store: Store) -> QWidget:
    from ui.supervisor import SupervisorWindow

    return SupervisorWindow(demo_ctx(tmp, store, login="admin"))


def _settings(tmp: Path, store: Store) -> QWidget:
    from ui.settings_dialog import SettingsDialog

    return SettingsDialog(demo_ctx(tmp, store, login="admin"))


def _admin(tmp: Path, store: Store) -> QWidget:
    from ui.admin import AdminDialog

    return AdminDialog(demo_ctx(tmp, store, login="admin"))


def _print_dialog(tmp: Path, store: Store) -> QWidget:
    from ui.print_dialog import PrintDialog, PrintItem

    data = samples.person_normal()
    return PrintDialog([PrintItem("受理通知书（受理回执）", render("receipt", data)),
                        PrintItem("容缺受理通知书", render("deferral-notice", samples.organisation_mixed()))],
                       runner=InlineRunner(), clock=CLOCK)


def _display(tmp: Path, store: Store) -> QWidget:
    from ui.display import HallDisplay
    from ui.voice import Announcer

    return HallDisplay(hall_context(store, hall=False), announcer=Announcer(speaker=None, auto=False), interval_ms=60_000)


def _kiosk(tmp: Path, store: Store) -> QWidget:
    from ui.kiosk import Kiosk

    return Kiosk(hall_context(store, hall=False))


def _kiosk_keypad(tmp: Path, store: Store) -> QWidget:
    """The kiosk with its on-screen keypad open, in 长辈模式 (the largest type it has)."""
    kiosk = _kiosk(tmp, store)
    kiosk.set_elder_mode(True)  # type: ignore[attr-defined]
    kiosk.open_keypad()  # type: ignore[attr-defined]
    return kiosk


def _kiosk_elder(tmp: Path, store: Store) -> QWidget:
    kiosk = _kiosk(tmp, store)
    kiosk.set_elder_mode(True)  # type: ignore[attr-defined]
    return kiosk


def _rating(tmp: Path, store: Store) -> QWidget:
    from ui.rating import RatingScreen

    return RatingScreen(demo_ctx(tmp, store), window_number=1, poll_ms=60_000)


def _rating_bad(tmp: Path, store: Store, *, elder: bool = False) -> QWidget:
    """The rating form of a served ticket with a 差评 chosen: the reasons shown (长辈模式: in its large type)."""
    from app import queue as q
    from app import ratings
    from ui.rating import RatingScreen
    from ui.voice import Announcer

    ctx = demo_ctx(tmp, store)
    ticket = q.issue_ticket(store, hall_code=ctx.hall_code, category="A", clock=ctx.clock)
    q.confirm_printed(store, ticket.id, clock=ctx.clock)
    q.call_next(store, hall_code=ctx.hall_code, window_number=1, request_id="layout", clock=ctx.clock)
    q.start_service(store, hall_code=ctx.hall_code, window_number=1, clock=ctx.clock)
    q.finish(store, hall_code=ctx.hall_code, window_number=1, clock=ctx.clock)
    ratings.request_rating(store, hall_code=ctx.hall_code, window_number=1, ticket_id=ticket.id, clock=ctx.clock)
    screen = RatingScreen(ctx, window_number=1, poll_ms=60_000, announcer=Announcer(speaker=None, auto=False))
    screen.set_elder_mode(elder)
    screen.level_buttons[-1].click()  # 非常不满意
    screen.reason_buttons["其他"].click()  # the comment box too
    return screen


def _rating_elder(tmp: Path, store: Store) -> QWidget:
    return _rating_bad(tmp, store, elder=True)


SCREENS: dict[str, Factory] = {
    "counter": _counter, "lookup": _lookup, "login": _login, "supervisor": _supervisor, "settings": _settings,
    "admin": _admin, "print": _print_dialog, "display": _display, "kiosk": _kiosk, "kiosk-elder": _kiosk_elder, "kiosk-keypad": _kiosk_keypad,
    "rating": _rating, "rating-bad": _rating_bad, "rating-elder": _rating_elder,
}
# Desk screens are not used on a portrait kiosk/display monitor.
PUBLIC = {"display", "kiosk", "kiosk-elder", "kiosk-keypad", "rating", "rating-bad", "rating-elder"}
# Known failures in screens another engineer is changing this stop; the lead removes these after the merge.
PENDING: dict[tuple[str, str], str] = {}


def _cases() -> Iterator[object]:
    for screen in SCREENS:
        for size in SIZES:
            if size == "portrait" and screen not in PUBLIC:
                continue
            marks = [pytest.mark.xfail(reason=PENDING[screen, size], strict=True)] if (screen, size) in PENDING else []
            yield pytest.param(screen, size, id=f"{screen}-{size}", marks=marks)


@pytest.mark.parametrize(("screen", "size"), list(_cases()))
def test_nothing_is_cut_or_outside_the_window(qtbot: QtBot, tmp_path: Path, store: Store, screen: str,
                                              size: str) -> None:
    widget = SCREENS[screen](tmp_path, store)
    qtbot.addWidget(widget)
    widget.setWindowState(Qt.WindowState.WindowNoState)
    widget.resize(*SIZES[size])
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(30)  # queued shows and the first layout pass
    assert widget.width() <= SIZES[size][0] and widget.height() <= SIZES[size][1], (
        f"{screen} needs {widget.width()}×{widget.height()} — more than the screen has")
    problems = layout_problems(widget)
    assert not problems, "\n".join(problems)


def test_the_check_finds_cut_text_overlap_and_controls_outside(qtbot: QtBot) -> None:
    """The check itself can fail: a squeezed label and button, a two-script button too narrow for its Chinese,
    two widgets on top of each other and a button placed off the window are all reported."""
    from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton

    from widgets.mongolian_text import BilingualButton

    window = QWidget()
    qtbot.addWidget(window)
    grid = QGridLayout(window)
    label = QLabel("四子王旗政务服务中心综合窗口")
    label.setFixedWidth(60)
    button = QPushButton("不予受理并告知申请人")
    button.setFixedWidth(70)
    touch = BilingualButton("预约签到并取号", "")
    touch.setFixedWidth(60)
    grid.addWidget(label, 0, 0)
    grid.addWidget(button, 0, 1)
    grid.addWidget(touch, 0, 2)
    grid.addWidget(QLabel("上"), 1, 0)
    grid.addWidget(QLabel("下"), 1, 0)  # the same cell: one over the other
    outside = QPushButton("外", window)
    outside.move(500, 10)
    window.resize(300, 100)
    window.show()
    qtbot.waitExposed(window)
    problems = "\n".join(layout_problems(window))
    assert "四子王旗政务服务中心综合窗口" in problems and "不予受理并告知申请人" in problems
    assert "预约签到并取号" in problems and "控件重叠" in problems and "控件超出窗口" in problems
