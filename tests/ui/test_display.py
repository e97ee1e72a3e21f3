"""The hall display: refreshes from the shared store, highlights a new call, masks names, shows pauses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app import queue as q
from app.clock import HallClock
from app.store import Store
from app.store.models import Appointment
from tests.app.queue_hall import HALL
from tests.ui.queue_ctx import hall_context
from ui.display import HallDisplay, whole_words
from ui.voice import Announcer, TtsSpeaker


def _plain(text: str) -> str:
    """A label's text without the joiners :func:`ui.display.whole_words` puts between the letters of a word."""
    return text.replace("\u2060", "").replace("\u200b", "")


@pytest.mark.parametrize(("name", "lines"), [
    ("社保医保 · 公积金", ["社保医保 · ", "公积金"]),
    ("就业创业 · 卫生健康", ["就业创业 · ", "卫生健康"]),
    ("不动产登记（午休）", ["不动产登记", "（午休）"]),
    ("A\u00a0社保医保：5\u00a0人", ["A 社保医保：5 人"]),
])
def test_a_window_name_wraps_only_between_its_words(qtbot: QtBot, name: str, lines: list[str]) -> None:
    """Qt's own line breaking (QTextBoundaryFinder, as a wrapping QLabel uses) finds breaks only between words."""
    from PySide6.QtCore import QTextBoundaryFinder

    text = whole_words(name)
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    cuts = []
    while (at := finder.toNextBoundary()) not in (-1, len(text)):
        cuts.append(at)
    pieces = [_plain(text[a:b]).replace("\u00a0", " ") for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    assert pieces == lines
    assert _plain(text).replace("\u00a0", " ") == name.replace("\u00a0", " ")  # nothing else changed


def _issue(store: Store, cat: str, clock: HallClock) -> q.TicketView:
    t = q.issue_ticket(store, hall_code=HALL, category=cat, clock=clock)
    return q.confirm_printed(store, t.id, clock=clock)


def _display(qtbot: QtBot, store: Store, announcer: Announcer | None = None,
             clock: HallClock | None = None) -> HallDisplay:
    ctx = hall_context(store, clock=clock)
    display = HallDisplay(ctx, announcer=announcer or Announcer(speaker=None, auto=False), interval_ms=200)
    qtbot.addWidget(display)
    display.resize(1280, 720)
    display.show()
    return display


def test_new_call_appears_highlighted_then_fades(qtbot: QtBot, sqlite_store: Store) -> None:
    display = _display(qtbot, sqlite_store)
    clock = display.ctx.clock
    t = _issue(sqlite_store, "A", clock)
    qtbot.waitUntil(lambda: "等候 1 人" in display.waiting_label.text(), timeout=3000)
    with qtbot.waitSignal(display.called, timeout=3000) as blocker:
        q.call_next(sqlite_store, hall_code=HALL, window_number=2, request_id="r1", clock=clock)
    assert blocker.args[0].code == t.code
    assert display.highlighted
    assert display.call_label.text() == f"请 {t.code} 号到 2 号窗口办理"
    assert display._cards[2].code.text() == t.code and display._cards[2].property("highlight") is True
    assert display.recent_labels[0].text() == f"{t.code}　→　2 号窗口"
    with qtbot.waitSignal(display.highlight_ended, timeout=5000):
        pass
    assert not display.highlighted and display.call_label.text().startswith(f"请 {t.code}")


def test_old_calls_are_not_announced_again_on_start(qtbot: QtBot, sqlite_store: Store) -> None:
    ctx = hall_context(sqlite_store)
    _issue(sqlite_store, "A", ctx.clock)
    q.call_next(sqlite_store, hall_code=HALL, window_number=2, request_id="before-start", clock=ctx.clock)
    announcer = Announcer(speaker=TtsSpeaker("mock"))
    started: list[str] = []
    announcer.started.connect(started.append)
    display = HallDisplay(ctx, announcer=announcer)
    qtbot.addWidget(display)
    assert display.board is not None and not display.highlighted and started == []
    q.recall(sqlite_store, hall_code=HALL, window_number=2, clock=ctx.clock)
    with qtbot.waitSignal(display.called, timeout=3000):
        pass
    assert started == ["请 A001 号到 2 号窗口办理"]
    assert display.call_label.text().endswith("（重呼）")


def test_names_are_masked_and_id_numbers_never_shown(qtbot: QtBot, sqlite_store: Store) -> None:
    display = _display(qtbot, sqlite_store)
    clock = display.ctx.clock
    now = clock.now()
    with sqlite_store.write() as s:
        s.add(Appointment(hall_code=HALL, code="YY1", category="A", id_no="150929199001011234", name="王丽娜",
                          service_date=clock.today(), start=now, end=now + dt.timedelta(hours=1)))
    t = q.check_in(sqlite_store, hall_code=HALL, code_or_id="YY1", clock=clock)
    q.confirm_printed(sqlite_store, t.id, clock=clock)
    with qtbot.waitSignal(display.called, timeout=3000):
        q.call_next(sqlite_store, hall_code=HALL, window_number=1, request_id="r1", clock=clock)
    texts = [label.text() for label in display.findChildren(type(display.call_label))]
    assert display.call_window.text().endswith("王**")
    assert not any("王丽娜" in x or "150929199001011234" in x for x in texts)


def test_pause_and_notice_are_shown(qtbot: QtBot, sqlite_store: Store) -> None:
    display = _display(qtbot, sqlite_store)
    assert ("zh", display.ctx.settings.queue.notice) in display.notice.parts()
    q.pause_window(sqlite_store, hall_code=HALL, window_number=3, reason="系统维护", clock=display.ctx.clock)
    qtbot.waitUntil(lambda: "（系统维护）" in _plain(display._cards[3].subtitle.text()), timeout=3000)
    assert display._cards[3].code.text() == "暂停服务"
    assert display._cards[3].property("paused") is True


def test_a_failed_read_is_shown_not_crashing(qtbot: QtBot, sqlite_store: Store) -> None:
    display = _display(qtbot, sqlite_store)
    display.ctx.settings.hall.code = "999999"
    qtbot.waitUntil(lambda: "大厅编码不存在" in display.waiting_label.text(), timeout=3000)


@pytest.mark.date_sensitive
def test_the_date_line_turns_over_at_the_hall_s_midnight_not_the_machine_s(
        qtbot: QtBot, sqlite_store: Store, machine_in_utc: None) -> None:
    clock = HallClock.frozen("2026-12-31T23:59:59+08:00")
    display = _display(qtbot, sqlite_store, clock=clock)
    assert display.clock_label.text() == "2026年12月31日 星期四  23:59:59"
    clock.advance(seconds=1)  # 2026-12-31T16:00:00 UTC: still the 31st on the machine
    with qtbot.waitSignal(display.refreshed, timeout=3000):
        pass
    assert display.clock_label.text() == "2027年1月1日 星期五  00:00:00"


def test_the_display_keeps_its_board_while_the_server_is_gone_and_catches_up_without_stale_calls(
        qtbot: QtBot, pg_store: Store, pg_cluster: Any, pg_url: str) -> None:
    """The hall server stops taking connections (its backends killed), the display keeps its board and says so;
    calls made meanwhile are listed once it is back but not announced four minutes late."""
    import psycopg

    from tests.app.queue_hall import clock_at

    database = pg_url.rsplit("/", 1)[1]

    def server(up: bool) -> None:
        with psycopg.connect(f"host=127.0.0.1 port={pg_cluster.port} user=postgres dbname=postgres",
                             autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"true" if up else "false"}')
            if not up:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                              (database,))

    display = _display(qtbot, pg_store, clock=clock_at(0))
    first = _issue(pg_store, "A", clock_at(0))
    with qtbot.waitSignal(display.called, timeout=3000):
        q.call_next(pg_store, hall_code=HALL, window_number=2, request_id="o1", clock=clock_at(0))
    q.finish(pg_store, hall_code=HALL, window_number=2, clock=clock_at(1))
    qtbot.waitUntil(lambda: display._cards[2].code.text() != first.code, timeout=3000)
    server(False)
    try:
        qtbot.waitUntil(lambda: display.offline, timeout=5000)
        assert "正在重连；屏上是 09:00" in display.waiting_label.text()
        assert display.recent_labels[0].text() == f"{first.code}　→　2 号窗口"  # the last board stays
    finally:
        server(True)
    calls: list[object] = []
    display.called.connect(calls.append)
    stale = _issue(pg_store, "A", clock_at(2))
    display.ctx.clock = clock_at(6)  # the call below was made while the display could not read
    q.call_next(pg_store, hall_code=HALL, window_number=2, request_id="o2", clock=clock_at(2))
    qtbot.waitUntil(lambda: not display.offline and display.recent_labels[0].text().startswith(stale.code),
                    timeout=5000)
    assert calls == []  # listed, not announced four minutes late
    with qtbot.waitSignal(display.called, timeout=3000) as blocker:
        q.recall(pg_store, hall_code=HALL, window_number=2, clock=clock_at(6))
    assert blocker.args[0].code == stale.code


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 728), (1080, 1880)], ids=["1920x1080", "1366x768", "portrait"])
def test_every_line_of_the_display_has_its_height_and_the_5m_sizes(qtbot: QtBot, sqlite_store: Store,
                                                                    size: tuple[int, int]) -> None:
    """At each screen size no label is squeezed below the height of its lines (the layout test checks widths),
    and the ticket and window number are set at least as large as ui.display_sizes says reads from 5 m."""
    from PySide6.QtWidgets import QLabel

    from tests.app.queue_hall import make_hall
    from ui.display_sizes import char_height_mm

    names = ["综合受理", "社保医保 · 公积金", "就业创业 · 卫生健康", "市场准入 · 税费办理", "不动产登记",
             "户籍证件 · 民政救助", "农牧交通 · 帮办代办", "综合受理"]  # the demo hall's eight windows
    make_hall(sqlite_store, windows=tuple((i + 1, name, ["A"]) for i, name in enumerate(names)))
    ctx = hall_context(sqlite_store, hall=False)
    display = HallDisplay(ctx, announcer=Announcer(speaker=None, auto=False), interval_ms=200)
    qtbot.addWidget(display)
    display.show()
    clock = display.ctx.clock
    _issue(sqlite_store, "A", clock)
    with qtbot.waitSignal(display.called, timeout=3000):
        q.call_next(sqlite_store, hall_code=HALL, window_number=3, request_id="s1", clock=clock)
    display.resize(*size)
    qtbot.wait(50)
    squeezed = []
    for label in display.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        need = label.heightForWidth(label.width()) if label.wordWrap() else label.fontMetrics().height()
        if label.height() + 2 < need:
            squeezed.append(f"{label.objectName()}「{label.text()}」{label.height()} < {need}")
    assert not squeezed, "\n".join(squeezed)
    five_m = char_height_mm(5.0)
    card = display._cards[3]
    for label in (card.title, card.code, display.call_label, display.call_window):
        assert display.type.mm(label.font().pixelSize()) >= five_m - 0.01, label.objectName()
    assert display.call_window.text() == "3 号窗口：" + next(w.name for w in display.board.windows if w.number == 3)


def test_the_notice_scrolls_in_both_scripts_when_wider_than_the_screen(qtbot: QtBot, sqlite_store: Store) -> None:
    """Portrait: the notice (Mongolian first, then Chinese) is wider than 1080 px and moves; what is painted
    changes as it does. Chinese only at 1920 px it fits and stands still, centred."""
    from app.vocabulary import mongolian

    display = _display(qtbot, sqlite_store)
    notice = display.notice
    default = display.ctx.settings.queue.notice
    assert notice.parts() == [("mn", mongolian(default)), ("zh", default)]
    display.resize(1080, 1880)
    qtbot.waitUntil(notice.scrolling, timeout=2000)
    before, image = notice.offset(), notice.grab().toImage()
    qtbot.wait(400)
    assert notice.offset() > before
    assert notice.grab().toImage() != image  # the line on screen moved
    display.ctx.settings.language.bilingual = "off"
    display.resize(1920, 1040)
    qtbot.waitUntil(lambda: notice.parts() == [("zh", default)], timeout=3000)
    qtbot.waitUntil(lambda: not notice.scrolling(), timeout=2000)
    assert notice.offset() == 0 and notice.content_width() < notice.width()


def test_calls_made_while_the_display_was_cut_off_are_the_board_on_reconnect_and_stale_ones_are_not_said(
        qtbot: QtBot, pg_store: Store, pg_cluster: Any, pg_url: str) -> None:
    """The display reads the hall server through its own link (a loopback relay), which is cut while the
    counters, on theirs, go on calling. On reconnect the board is the server's current one — cards, banner and
    list — and of the calls made meanwhile only the one at most STALE_CALL_SECONDS old is announced."""
    from app.store import open_store
    from tests.app.queue_hall import clock_at, make_hall
    from tests.ui._cut_link import CutLink
    from ui.display import STALE_CALL_SECONDS

    make_hall(pg_store)
    link = CutLink(pg_cluster.port)
    seen_store = open_store(link.url(pg_url), upgrade=False)
    try:
        ctx = hall_context(seen_store, hall=False, clock=clock_at(0))
        display = HallDisplay(ctx, announcer=Announcer(speaker=None, auto=False), interval_ms=200)
        qtbot.addWidget(display)
        display.resize(1280, 720)
        display.show()
        for category in "AAB":
            _issue(pg_store, category, clock_at(0))
        with qtbot.waitSignal(display.called, timeout=3000):
            first = q.call_next(pg_store, hall_code=HALL, window_number=2, request_id="d1", clock=clock_at(0))
        link.cut()
        qtbot.waitUntil(lambda: display.offline, timeout=5000)
        assert "正在重连；屏上是 09:00" in display.waiting_label.text()
        assert display._cards[2].code.text() == first.code  # the last board stays on screen
        calls: list[q.BoardCall] = []
        display.called.connect(calls.append)
        # Meanwhile, at the counters (their own link to the server):
        q.finish(pg_store, hall_code=HALL, window_number=2, clock=clock_at(1))
        second = q.call_next(pg_store, hall_code=HALL, window_number=3, request_id="d2", clock=clock_at(1))
        third = q.call_next(pg_store, hall_code=HALL, window_number=1, request_id="d3", clock=clock_at(4))
        qtbot.wait(500)
        assert display.offline and calls == []  # nothing reaches a display that is cut off
        ctx.clock = clock_at(4.5)  # the link comes back half a minute after the last call
        assert 30 <= STALE_CALL_SECONDS < 3.5 * 60
        link.mend()
        qtbot.waitUntil(lambda: not display.offline and len(calls) == 1, timeout=5000)
        qtbot.wait(500)  # later reads announce nothing more
        assert [(c.code, c.window_number) for c in calls] == [(third.code, 1)]  # the one at 3: 3½ min old, unsaid
        assert [label.text() for label in display.recent_labels[:3]] == [
            f"{third.code}　→　1 号窗口", f"{second.code}　→　3 号窗口", f"{first.code}　→　2 号窗口"]
        assert {n: display._cards[n].code.text() for n in (1, 2, 3)} == {1: third.code, 2: "空闲", 3: second.code}
        assert display.call_label.text() == f"请 {third.code} 号到 1 号窗口办理"
        assert "正在重连" not in display.waiting_label.text()
    finally:
        seen_store.dispose()
        link.close()
