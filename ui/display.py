"""The hall display (大厅叫号显示屏): the newest call in very large type, each window's current ticket, the
latest calls, how many wait per category, and the hall's notice line.

Reads the shared store once a second through ``ctx.runner``; a new call is highlighted for
``Settings.queue.highlight_seconds`` and announced by the voice. Names appear masked; ID numbers never.

Bilingual as ``app.language.languages_for`` says (the hall's choice comes with each board read): the call, the
window names and the recent-calls title carry their Mongolian in vertical columns (``widgets.mongolian_text``),
to the left of the Chinese when Mongolian comes first; the waiting counts and the notice, a horizontal line above.
"""

from __future__ import annotations

import argparse
import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app import queue as q
from app.errors import CounterError
from app.language import Languages, languages_for
from app.vocabulary import mongolian
from ui.context import AppContext
from ui.voice import Announcer, announcer_for
from widgets.mongolian_text import BilingualPair, MongolianText
from widgets.naming import named

# After the hall server or Wi-Fi was gone, calls older than this are shown in the list but not announced again:
# the applicant called five minutes ago has either gone to the window or will be recalled.
STALE_CALL_SECONDS = 60
MAX_CARDS = 16  # beyond this (a hall of 100 windows) only windows with a call or a pause get a card

STYLE = """
#hallDisplay { background: #0b2a4a; }
#hallDisplay QWidget { background: transparent; }
#hallDisplay QLabel { color: #ffffff; background: transparent; }
#hallDisplay #displayHeader QLabel { color: #cfe3ff; }
#hallDisplay #callBanner { background: #123c66; border-radius: 18px; }
#hallDisplay #callBanner[highlight="true"] { background: #ffd54f; }
#hallDisplay #callBanner[highlight="true"] QLabel { color: #1a1a1a; }
#hallDisplay #windowCard { background: #143f6b; border-radius: 12px; }
#hallDisplay #windowCard[highlight="true"] { background: #ffd54f; }
#hallDisplay #windowCard[highlight="true"] QLabel { color: #1a1a1a; }
#hallDisplay #windowCard[paused="true"] { background: #3a4a5a; }
#hallDisplay #recentPanel { background: #102f52; border-radius: 12px; }
#hallDisplay #noticeLabel { color: #ffe082; }
#hallDisplay #voiceWarning { color: #ff8a80; }
#hallDisplay MongolianText { color: #ffffff; }
#hallDisplay #displayHeader MongolianText { color: #cfe3ff; }
#hallDisplay #callBanner[highlight="true"] MongolianText { color: #1a1a1a; }
#hallDisplay #windowCard[highlight="true"] MongolianText { color: #1a1a1a; }
#hallDisplay #noticeMn { color: #ffe082; }
"""


def _label(text: str = "", name: str = "", *, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setAlignment(align)
    return label


def _restyle(widget: QWidget, prop: str, value: bool) -> None:
    if widget.property(prop) != value:
        widget.setProperty(prop, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        for child in [*widget.findChildren(QLabel), *widget.findChildren(MongolianText)]:
            child.style().unpolish(child)
            child.style().polish(child)


class WindowCard(QFrame):
    """One window: its number and name, the ticket it holds; the Mongolian window name in a column beside."""

    def __init__(self, number: int, name: str, languages: Languages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("windowCard")
        self.number = number
        self.title = _label(f"{number} 号窗口", "windowTitle")
        self.subtitle = _label(name, "windowName")
        self.code = _label("—", "windowCode")
        self.title_mn = named(MongolianText(mongolian("{n} 号窗口").format(n=number)), "windowTitleMn")
        chinese = QWidget()
        column = QVBoxLayout(chinese)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        column.addWidget(self.code, 1)
        self.pair = BilingualPair(self.title_mn, chinese, spacing=4)
        self.pair.set_languages(languages)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.pair)

    def show_window(self, w: q.WindowBoard) -> None:
        _restyle(self, "paused", w.paused)
        if w.paused:
            self.code.setText(f"暂停服务\n{w.pause_reason}" if w.pause_reason else "暂停服务")
        else:
            self.code.setText(w.code or "空闲")


class HallDisplay(QWidget):
    """Signals:
        refreshed(object): a BoardView was shown (after every successful read).
        called(object): a new call (BoardCall) appeared and was highlighted.
        highlight_ended(): the highlight of the newest call ran out.
    """

    refreshed = Signal(object)
    called = Signal(object)
    highlight_ended = Signal()

    def __init__(self, ctx: AppContext, *, announcer: Announcer | None = None, interval_ms: int = 1000,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("hallDisplay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setWindowTitle("大厅叫号显示屏")
        qs = ctx.settings.queue
        self.announcer = announcer if announcer is not None else announcer_for(ctx.settings, parent=self)
        self.announcer.warning.connect(self._on_voice_warning)
        self.board: q.BoardView | None = None
        self.languages = languages_for(ctx.settings)  # until the first read brings the hall's own choice
        self.highlighted = False
        self._last_call_id: int | None = None  # None until the first read: old calls are not re-announced
        self.offline = False  # the last read failed (the hall server or the network is gone)
        self._shown_at: dt.datetime | None = None  # when the board on screen was read
        self._loading = False
        self._cards: dict[int, WindowCard] = {}

        self.hall_label = _label("", "hallName", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.clock_label = _label("", "clockLabel", align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = named(QWidget(), "displayHeader")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.hall_label, 1)
        hl.addWidget(self.clock_label)

        self.banner = named(QFrame(), "callBanner")
        self.call_label = _label("请留意叫号", "callLabel")
        self.call_label.setWordWrap(True)
        self.call_name = _label("", "callName")
        self.call_mn = named(MongolianText(mongolian("请留意叫号")), "callMn")
        call_zh = QWidget()
        cl = QVBoxLayout(call_zh)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.call_label, 1)
        cl.addWidget(self.call_name)
        self.call_pair = BilingualPair(self.call_mn, call_zh, spacing=24)
        bl = QVBoxLayout(self.banner)
        bl.addWidget(self.call_pair)

        self.cards_box = named(QWidget(), "windowCards")
        self.cards = QGridLayout(self.cards_box)
        self.cards.setSpacing(12)
        self.cards.setContentsMargins(0, 0, 0, 0)

        self.recent_panel = named(QFrame(), "recentPanel")
        self.recent_mn = named(MongolianText(mongolian("最近叫号")), "recentTitleMn")
        recent_zh = QWidget()
        rl = QVBoxLayout(recent_zh)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(_label("最近叫号", "recentTitle"))
        self.recent_labels = [_label("", f"recentCall{i}") for i in range(6)]
        for label in self.recent_labels:
            rl.addWidget(label)
        rl.addStretch(1)
        self.recent_pair = BilingualPair(self.recent_mn, recent_zh, spacing=8)
        QVBoxLayout(self.recent_panel).addWidget(self.recent_pair)

        middle = QHBoxLayout()
        middle.setSpacing(16)
        middle.addWidget(self.cards_box, 3)
        middle.addWidget(self.recent_panel, 1)

        self.waiting_label = _label("", "waitingLabel")
        self.waiting_label.setWordWrap(True)  # a catalog with many categories must not widen the screen
        self.waiting_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.notice_label = _label(qs.notice, "noticeLabel")
        self.notice_label.setWordWrap(True)
        self.waiting_mn = named(MongolianText(vertical=False), "waitingMn")
        self.waiting_pair = BilingualPair(self.waiting_mn, self.waiting_label, spacing=2)
        self.notice_mn = named(MongolianText(qs.notice_mn or mongolian(qs.notice), vertical=False), "noticeMn")
        self.notice_pair = BilingualPair(self.notice_mn, self.notice_label, spacing=2)
        self.voice_warning = _label("", "voiceWarning")
        self.voice_warning.hide()

        layout = QVBoxLayout(self)
        # The screen's size is the display's size: never grow the window past it while the type is rescaled
        # (a resize from a bigger screen would otherwise keep the bigger minimum for a moment and stick).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(14)
        layout.addWidget(header)
        layout.addWidget(self.banner, 3)
        layout.addLayout(middle, 4)
        layout.addWidget(self.waiting_pair)
        layout.addWidget(self.notice_pair)
        layout.addWidget(self.voice_warning)
        self._pairs = [self.call_pair, self.recent_pair, self.waiting_pair, self.notice_pair]
        self._set_languages(self.languages)

        self.highlight_timer = QTimer(self, singleShot=True)
        self.highlight_timer.timeout.connect(self._end_highlight)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._tick_clock()
        self._apply_fonts()
        self.refresh()

    # --- reading the store ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._tick_clock()
        if self._loading:
            return  # a slow store: never stack reads up behind each other
        self._loading = True
        store, hall, clock = self.ctx.store, self.ctx.hall_code, self.ctx.clock

        def load() -> q.BoardView:
            with store.read() as s:
                return q.hall_board(s, hall, clock=clock)

        self.ctx.runner.submit(load, self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        """The store is out of reach: the last board stays on screen (cards, latest call, list) with a line saying
        since when, and the next successful read catches up (see :data:`STALE_CALL_SECONDS`)."""
        self._loading = False
        text = exc.message if isinstance(exc, CounterError) else "暂时无法读取叫号数据"
        self.offline = True
        if self.board is not None and self._shown_at is not None:
            text += f"，正在重连；屏上是 {self.ctx.clock.local(self._shown_at):%H:%M:%S} 的叫号"
        self.waiting_label.setText(f"⚠ {text}")

    def _set_languages(self, languages: Languages) -> None:
        self.languages = languages
        for pair in [*self._pairs, *(card.pair for card in self._cards.values())]:
            pair.set_languages(languages)
        # A notice with no Mongolian wording shows Chinese only rather than an empty line.
        self.notice_mn.setVisible("mn" in languages.order and bool(self.notice_mn.text()))

    def _show(self, board: q.BoardView) -> None:
        self._loading = False
        self.board = board
        languages = languages_for(self.ctx.settings, hall_bilingual=board.bilingual)
        if languages != self.languages:
            self._set_languages(languages)
        self.hall_label.setText(board.hall_name)
        self._show_cards(board)
        for label, call in zip(self.recent_labels, [*board.recent, *[None] * len(self.recent_labels)],
                               strict=False):
            label.setText(f"{call.code}　→　{call.window_number} 号窗口" if call else "")
        # Non-breaking spaces keep "A 社保医保：5 人" on one line when the row wraps.
        parts = [f"{c.category}\u00a0{c.name.removeprefix(c.category).strip() or '业务'}：{c.waiting}\u00a0人"
                 for c in board.waiting]
        self.waiting_label.setText(f"等候 {board.total_waiting} 人　　" + "　　".join(parts))
        # Only U+0020 breaks a Mongolian line: U+00A0 keeps "A <name>: 5" together where the name allows.
        mn_parts = [f"{c.category} {c.name_mn}: {c.waiting}" for c in board.waiting if c.name_mn]
        self.waiting_mn.setText("  ".join([mongolian("等候 {n} 人").format(n=board.total_waiting), *mn_parts]))
        now = self.ctx.clock.now()
        self.offline, self._shown_at = False, now
        new = [c for c in board.recent if self._last_call_id is not None and c.event_id > self._last_call_id
               and (now - c.at).total_seconds() <= STALE_CALL_SECONDS]  # catching up: no stale replays
        self._last_call_id = board.latest_call_id
        for call in reversed(new):  # oldest first, so the voice calls them in order
            self.announcer.announce(call.code, call.window_number)
        if new:
            self._highlight(new[0])
        elif board.recent and not self.highlighted:
            latest = board.recent[0]
            self.call_label.setText(f"请 {latest.code} 号到 {latest.window_number} 号窗口办理")
            self.call_mn.setText(_call_mn(latest))
            self.call_name.setText(latest.masked_name)
        self.refreshed.emit(board)

    def _show_cards(self, board: q.BoardView) -> None:
        windows = list(board.windows)
        if len(windows) > MAX_CARDS:
            windows = [w for w in windows if w.code or w.paused][:MAX_CARDS]
        numbers = [w.number for w in windows]
        if numbers != list(self._cards):
            for card in self._cards.values():
                card.deleteLater()
            self._cards = {}
            cols = 4 if len(windows) <= 8 else 6 if len(windows) <= 12 else 8
            for i, w in enumerate(windows):
                card = WindowCard(w.number, w.name, self.languages)
                self.cards.addWidget(card, i // cols, i % cols)
                self._cards[w.number] = card
            self._apply_fonts()
        for w in windows:
            self._cards[w.number].show_window(w)

    # --- highlight and clock ------------------------------------------------------------------------------

    def _highlight(self, call: q.BoardCall) -> None:
        again = "（重呼）" if call.kind == "recall" else ""
        self.call_label.setText(f"请 {call.code} 号到 {call.window_number} 号窗口办理{again}")
        self.call_mn.setText(_call_mn(call))
        self.call_name.setText(call.masked_name)
        self.highlighted = True
        _restyle(self.banner, "highlight", True)
        for number, card in self._cards.items():
            _restyle(card, "highlight", number == call.window_number)
        self.highlight_timer.start(max(1, self.ctx.settings.queue.highlight_seconds) * 1000)
        self.called.emit(call)

    def _end_highlight(self) -> None:
        self.highlighted = False
        _restyle(self.banner, "highlight", False)
        for card in self._cards.values():
            _restyle(card, "highlight", False)
        self.highlight_ended.emit()

    def _tick_clock(self) -> None:
        now = self.ctx.clock.local_now()  # the hall's wall clock, whatever zone the display PC is set to
        weekday = "一二三四五六日"[now.weekday()]
        self.clock_label.setText(f"{now.year}年{now.month}月{now.day}日 星期{weekday}  {now:%H:%M:%S}")

    def _on_voice_warning(self, text: str) -> None:
        self.voice_warning.setText(text)
        self.voice_warning.show()

    # --- large type that follows the screen ---------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        unit = max(8, self.height() // 36)  # 30 px on a 1080-line screen

        def size(label: QLabel, factor: float, bold: bool = False) -> None:
            font = QFont(label.font())
            font.setPixelSize(int(unit * factor))
            font.setBold(bold)
            label.setFont(font)

        size(self.hall_label, 1.4, True)
        size(self.clock_label, 1.0)
        size(self.call_label, 3.4, True)
        size(self.call_name, 1.4)
        size(self.waiting_label, 1.1)
        size(self.notice_label, 1.0)
        size(self.voice_warning, 0.7)
        self.call_mn.set_pixel_size(int(unit * 1.9))
        self.recent_mn.set_pixel_size(int(unit * 0.9))
        self.waiting_mn.set_pixel_size(int(unit * 0.7))
        self.notice_mn.set_pixel_size(int(unit * 0.8))
        for label in self.recent_panel.findChildren(QLabel):
            size(label, 1.05, label.objectName() == "recentTitle")
        for card in self._cards.values():
            size(card.title, 0.9, True)
            size(card.subtitle, 0.65)
            size(card.code, 1.9, True)
            card.title_mn.set_pixel_size(int(unit * 0.75))


def _call_mn(call: q.BoardCall) -> str:
    """The call in Mongolian: "<code> dugar <n> dugar čongqu-du ireγerei", and "(daqin duγudaba)" for a recall."""
    text = mongolian("请 {code} 号到 {window} 号窗口办理").format(code=call.code, window=call.window_number)
    return f"{text} ({mongolian('重呼')})" if call.kind == "recall" else text


def create(ctx: AppContext, args: argparse.Namespace) -> QWidget:
    """``python -m app display``: full screen unless ``--windowed``."""
    display = HallDisplay(ctx)
    display.resize(1280, 720)
    screens = QGuiApplication.screens()
    index = getattr(args, "screen", -1)
    if isinstance(index, int) and 0 <= index < len(screens):
        display.setGeometry(screens[index].geometry())  # the hall TV, usually the second screen
    if not getattr(args, "windowed", False):
        display.setWindowState(Qt.WindowState.WindowFullScreen)
    return display
