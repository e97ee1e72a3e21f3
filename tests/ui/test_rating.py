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
from ui.rating import RatingScreen
from ui.rating_request import ask_for_rating
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
    # A 差评 asks for its reason before it goes in.
    assert not screen.reason_panel.isHidden()
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert "请在上面选择不满意的原因" in screen.error_label.text() and screen.stack.currentIndex() == 1
    qtbot.mouseClick(button(screen, "reason_0"), Qt.MouseButton.LeftButton)  # 等候时间长
    with qtbot.waitSignal(screen.rated):
        qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert screen.stack.currentIndex() == 2
    with ctx.store.read() as s:
        row = s.scalars(select(Rating).where(Rating.comment == "不满意原因：等候时间长；排队太久")).one()
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


def test_without_a_window_number_the_public_sees_a_plain_line_and_staff_the_log(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, caplog: pytest.LogCaptureFixture) -> None:
    ctx.window_number = None
    widget = RatingScreen(ctx)
    qtbot.add_widget(widget)
    assert widget.idle_label.text() == "本评价器暂未启用，请向工作人员咨询。"  # no developer instruction on screen
    assert "--window" in caplog.text and "hall.window" in caplog.text


def _shown(qtbot, ctx: AppContext, announcer=None) -> RatingScreen:  # type: ignore[no-untyped-def]
    from ui.voice import Announcer

    widget = RatingScreen(ctx, poll_ms=60_000, announcer=announcer or Announcer(speaker=None, auto=False))
    qtbot.add_widget(widget)
    widget.resize(1366, 728)
    widget.show()
    qtbot.waitExposed(widget)
    ratings.request_rating(ctx.store, hall_code=HALL, window_number=1, case_no="C2", clock=CLOCK)
    with qtbot.waitSignal(widget.request_shown):
        widget.poll()
    return widget


def test_levels_and_scores_run_the_same_way_and_the_scores_are_bilingual(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """非常满意 → 非常不满意 left to right, and under each level its own score (5 分 under 非常满意): choosing
    the 4th level fills the 4th column. Each score says 分 in both scripts."""
    from app.vocabulary import mongolian

    screen = _shown(qtbot, ctx)

    def left_to_right(buttons: list[QPushButton]) -> list[str]:
        return [b.objectName() for b in sorted(buttons, key=lambda b: b.mapToGlobal(b.rect().center()).x())]

    assert left_to_right(screen.level_buttons) == [f"levelButton{n}" for n in (5, 4, 3, 2, 1)]
    assert [ratings.LEVELS[int(name[-1])] for name in left_to_right(screen.level_buttons)] == [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    for key, row in screen.score_rows.items():
        assert left_to_right(row.buttons) == [f"score_{key}_{n}" for n in (5, 4, 3, 2, 1)]
    fourth = left_to_right(screen.level_buttons)[3]
    qtbot.mouseClick(button(screen, fourth), Qt.MouseButton.LeftButton)
    row = screen.score_rows["overall"]
    assert left_to_right([b for b in row.buttons if b.isChecked()]) == [left_to_right(row.buttons)[3]]
    five = button(screen, "score_overall_5")
    assert (five.chinese_text(), five.mongolian_text()) == ("5 分", f"5 {mongolian('分')}")  # type: ignore[attr-defined]
    assert five.order() == ["mn", "zh"]  # type: ignore[attr-defined]


def test_other_as_a_reason_needs_the_applicant_s_words(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    screen = _shown(qtbot, ctx)
    qtbot.mouseClick(button(screen, "levelButton2"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(screen, "reason_5"), Qt.MouseButton.LeftButton)  # 其他
    assert screen.comment.isVisible() and screen.comment.placeholderText() == "请写明不满意的原因"
    qtbot.mouseClick(button(screen, "submitRatingButton"), Qt.MouseButton.LeftButton)
    assert "写明不满意的原因" in screen.error_label.text() and screen.stack.currentIndex() == 1
    screen.comment.setPlainText("窗口下午没人")
    with qtbot.waitSignal(screen.rated):
        qtbot.mouseClick(button(screen, "submitRatingButton"), Qt.MouseButton.LeftButton)
    with ctx.store.read() as s:
        assert s.scalars(select(Rating.comment)).all()[-1] == "不满意原因：其他；窗口下午没人"


def test_elder_mode_large_type_one_tap_and_the_question_read_aloud(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from ui.voice import Announcer, TtsSpeaker

    announcer = Announcer(speaker=TtsSpeaker("mock"))
    said: list[str] = []
    announcer.started.connect(said.append)
    screen = _shown(qtbot, ctx, announcer)
    normal = button(screen, "levelButton5").font().pixelSize()
    qtbot.mouseClick(button(screen, "ratingElderButton"), Qt.MouseButton.LeftButton)
    assert screen.elder_mode and button(screen, "levelButton5").font().pixelSize() > normal
    assert not screen.indicators.isVisible() and not screen.comment.isVisible()  # fewer steps: no indicators
    qtbot.waitUntil(lambda: len(said) == 1, timeout=3000)
    assert said[0] == "请对本次服务进行评价：非常满意、满意、基本满意、不满意、非常不满意。"
    qtbot.mouseClick(button(screen, "levelButton1"), Qt.MouseButton.LeftButton)  # a 差评: its reasons, read too
    qtbot.waitUntil(lambda: len(said) == 2, timeout=5000)
    assert said[1].startswith("请选择不满意的原因：等候时间长、办理时间长")
    qtbot.mouseClick(button(screen, "reason_2"), Qt.MouseButton.LeftButton)  # 服务态度不好
    with qtbot.waitSignal(screen.rated):
        qtbot.mouseClick(button(screen, "submitRatingButton"), Qt.MouseButton.LeftButton)
    assert not screen.elder_mode  # the next applicant starts in the normal mode
    # The next applicant, in 长辈模式: one tap on a good level sends it.
    ratings.request_rating(ctx.store, hall_code=HALL, window_number=1, case_no="C6", clock=CLOCK)
    with qtbot.waitSignal(screen.request_shown):
        screen.poll()
    qtbot.mouseClick(button(screen, "ratingElderButton"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.rated):
        qtbot.mouseClick(button(screen, "levelButton5"), Qt.MouseButton.LeftButton)
    with ctx.store.read() as s:
        rows = s.scalars(select(Rating).order_by(Rating.id)).all()
    assert [(r.level, r.comment, r.overall, r.attitude) for r in rows[-2:]] == [
        (1, "不满意原因：服务态度不好", 1, 1), (5, "", 5, 5)]


def test_silent_mode_reads_nothing_aloud(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from ui.voice import Announcer, TtsSpeaker

    announcer = Announcer(mode="silent", speaker=TtsSpeaker("mock"))
    said: list[str] = []
    announcer.started.connect(said.append)
    screen = _shown(qtbot, ctx, announcer)
    qtbot.mouseClick(button(screen, "ratingElderButton"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(screen, "readAgainButton"), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert screen.elder_mode and said == []


def test_without_a_reading_engine_elder_mode_says_so_once(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """A PC with no Chinese TTS (the recorded clips only make calls): 长辈模式 still works, and the form says once
    why nothing is heard."""
    from ui.voice import NO_READER, Announcer

    announcer = Announcer(speaker=None, auto=False)
    warnings: list[str] = []
    announcer.warning.connect(warnings.append)
    screen = _shown(qtbot, ctx, announcer)
    qtbot.mouseClick(button(screen, "ratingElderButton"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(screen, "readAgainButton"), Qt.MouseButton.LeftButton)
    assert warnings == [NO_READER] and screen.error_label.text() == NO_READER
    assert announcer.read_aloud("请对本次服务进行评价") is False
