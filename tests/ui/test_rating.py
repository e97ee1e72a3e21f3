"""The applicant's rating screen: shows the window's pending request, saves the rating, never involves the clerk."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from sqlalchemy import select

from app import ratings
from app.clock import HallClock
from app.settings import load_settings
from app.store import Store
from app.store.models import Rating
from tests.app.report_day import HALL, at, build_day
from tests.hall_clock import CLOCK
from ui.context import AppContext
from ui.rating import RatingScreen, ask_for_rating
from ui.tasks import InlineRunner


@pytest.fixture
def ctx(sqlite_store: Store) -> AppContext:
    build_day(sqlite_store)
    settings = load_settings()
    settings.hall.code = HALL
    settings.counter.follow_up_workdays = 15
    return AppContext(settings=settings, store=sqlite_store, runner=InlineRunner(), window_number=1,
                      clock=HallClock.frozen(at(16, 0)))  # the hand-made day, 16:00 in the hall


@pytest.fixture
def screen(qtbot, ctx: AppContext) -> RatingScreen:  # type: ignore[no-untyped-def]
    widget = RatingScreen(ctx, poll_ms=60_000)
    qtbot.add_widget(widget)
    return widget


def button(widget: RatingScreen, name: str) -> QPushButton:
    found = widget.findChild(QPushButton, name)
    assert found is not None, name
    return found


def test_idle_until_the_clerk_asks_then_rates(qtbot, ctx: AppContext, screen: RatingScreen) -> None:  # type: ignore[no-untyped-def]
    assert screen.stack.currentIndex() == 0
    assert "1 号窗口" in screen.findChild(QLabel, "idleText").text()
    asked: list[ratings.RatingRequestView] = []
    ask_for_rating(ctx, case_no="C2", on_done=asked.append)
    with qtbot.waitSignal(screen.request_shown):
        screen.poll()
    assert asked[0].state == "pending"
    assert "办件 C2" in screen.subtitle.text() and "其木格" in screen.subtitle.text()
    submit = button(screen, "submitRatingButton")
    assert not submit.isEnabled()  # nothing chosen yet
    qtbot.mouseClick(button(screen, "levelButton2"), Qt.MouseButton.LeftButton)
    # Indicators follow the level; one set by hand keeps its value.
    assert {k: r.value() for k, r in screen.score_rows.items()} == {
        "overall": 2, "efficiency": 2, "service": 2, "attitude": 2}
    qtbot.mouseClick(button(screen, "score_attitude_4"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(screen, "levelButton1"), Qt.MouseButton.LeftButton)
    assert screen.score_rows["attitude"].value() == 4 and screen.score_rows["overall"].value() == 1
    screen.comment.setPlainText("排队太久")  # typed through an input method; QTest cannot type 汉字
    with qtbot.waitSignal(screen.rated):
        qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert screen.stack.currentIndex() == 2
    with ctx.store.read() as s:
        row = s.scalars(select(Rating).where(Rating.comment == "排队太久")).one()
        clerk_side = ratings.request_state(s, asked[0].id)
    assert (row.level, row.overall, row.attitude) == (1, 1, 4)
    # 15 working days (the hall's setting) after Tue 2026-03-10.
    assert (row.follow_up_state, row.follow_up_due) == ("open", dt.date(2026, 3, 31))
    assert clerk_side.state == "rated"


def test_a_newer_request_replaces_the_form_and_decline_returns_to_idle(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                       screen: RatingScreen) -> None:
    ratings.request_rating(ctx.store, hall_code=HALL, window_number=1, case_no="C2", clock=CLOCK)
    screen.poll()
    first = screen.request
    ratings.request_rating(ctx.store, hall_code=HALL, window_number=1, case_no="C6", clock=CLOCK)
    with qtbot.waitSignal(screen.request_shown):
        screen.poll()
    assert screen.request is not None and first is not None and screen.request.id != first.id
    assert "C6" in screen.subtitle.text()
    with qtbot.waitSignal(screen.declined):
        qtbot.mouseClick(button(screen, "declineRatingButton"), Qt.MouseButton.LeftButton)
    assert screen.stack.currentIndex() == 0
    screen.poll()
    assert screen.stack.currentIndex() == 0  # nothing pending any more


def test_rating_an_already_rated_case_shows_why(qtbot, ctx: AppContext, screen: RatingScreen) -> None:  # type: ignore[no-untyped-def]
    req = ratings.request_rating(ctx.store, hall_code=HALL, window_number=1, case_no="C2", clock=CLOCK)
    screen.poll()
    ratings.submit_rating(ctx.store, req.id, level=5, clock=CLOCK)  # e.g. a second rating screen got there first
    qtbot.mouseClick(button(screen, "levelButton4"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.failed) as blocker:
        qtbot.mouseClick(button(screen, "submitRatingButton"), Qt.MouseButton.LeftButton)
    assert "请勿重复提交" in blocker.args[0]
    assert "请勿重复提交" in screen.error_label.text()


def test_without_a_window_number_the_screen_says_what_to_do(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    ctx.window_number = None
    widget = RatingScreen(ctx)
    qtbot.add_widget(widget)
    assert "--window" in widget.idle_label.text()
