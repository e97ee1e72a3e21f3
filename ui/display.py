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
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
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
from ui.display_sizes import DisplayType, display_type
from ui.display_ticker import NoticeTicker
from ui.voice import Announcer, announcer_for
from widgets.mongolian_text import BilingualPair, MongolianText, mongolian_font
from widgets.naming import named
from widgets.screen_fit import regrid

# After the hall server or Wi-Fi was gone, calls older than this are shown in the list but not announced again:
# the applicant called five minutes ago has either gone to the window or will be recalled.
STALE_CALL_SECONDS = 60
CALL_SPACING = 24  # between the Mongolian column and the Chinese call
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
#hallDisplay #voiceWarning { color: #ff8a80; }
#hallDisplay MongolianText { color: #ffffff; }
#hallDisplay #displayHeader MongolianText { color: #cfe3ff; }
#hallDisplay #callBanner[highlight="true"] MongolianText { color: #1a1a1a; }
#hallDisplay #windowCard[highlight="true"] MongolianText { color: #1a1a1a; }
"""


def _label(text: str = "", name: str = "", *, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setAlignment(align)
    return label


def whole_words(text: str) -> str:
    """``text`` that a wrapping label breaks only between its words: at spaces and before a （…） part, never inside
    社保医保 or after 公积 (Qt breaks Chinese between any two characters). A word joiner (U+2060, drawn as nothing)
    goes between the characters of each word; " · " keeps its dot on the first line."""
    def word(w: str) -> str:
        return "\u2060".join(w)

    text = text.replace(" · ", "\u00a0· ")
    out = []
    for chunk in text.split(" "):
        head, paren, rest = chunk.partition("（")
        out.append(word(head) + ("\u200b" + word(paren + rest) if paren else ""))
    return " ".join(out)


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

    def __init__(self, number: int, name: str, languages: Languages, parent: QWidget | None = None, *,
                 name_mn: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("windowCard")
        self.number = number
        self.title = _label(f"{number} 号窗口", "windowTitle")
        self.subtitle = _label(whole_words(name), "windowName")
        self.subtitle.setWordWrap(True)  # a long name takes two lines rather than widening the card
        self.code = _label("—", "windowCode")
        self.title_mn = named(MongolianText(_window_mn(number, name_mn)), "windowTitleMn")
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
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.pair)

    def show_window(self, w: q.WindowBoard) -> None:
        _restyle(self, "paused", w.paused)
        # The pause reason goes on the name's line: the ticket's line keeps one line at the 5 m size.
        self.subtitle.setText(whole_words(f"{w.name}（{w.pause_reason}）" if w.paused and w.pause_reason else w.name))
        self.title_mn.setText(_window_mn(w.number, w.name_mn))
        self.code.setText("暂停服务" if w.paused else w.code or "空闲")


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
        # Built here, the announcer follows the hall's bilingual choice as each board read brings it
        # (_follow_hall_languages); one handed in (tests, the benchmark) is kept as it is.
        self._own_announcer = announcer is None
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
        # The hall's Mongolian name ([hall] name_mn) on the same line, first in the configured order.
        self.hall_mn = named(MongolianText(ctx.settings.hall.name_mn, vertical=False), "hallNameMn")
        self.hall_pair = BilingualPair(self.hall_mn, self.hall_label, side_by_side=True, spacing=16)
        self.clock_label = _label("", "clockLabel", align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = self.header = named(QWidget(), "displayHeader")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.hall_pair)
        hl.addStretch(1)
        hl.addWidget(self.clock_label)

        self.banner = named(QFrame(), "callBanner")
        self._call_text = "请留意叫号"  # the call as said; _fit_call breaks it for a portrait screen
        self.call_label = _label(self._call_text, "callLabel")
        self.call_window = _label("", "callWindow")  # the window in words: "3 号窗口：社保医保"
        self.call_window.setWordWrap(True)
        self.call_mn = named(MongolianText(mongolian("请留意叫号")), "callMn")
        # The banner is as tall as its Chinese lines: the Mongolian takes more columns, not more height.
        self.call_mn.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        call_zh = QWidget()
        cl = QVBoxLayout(call_zh)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(self.call_label, 1)
        cl.addWidget(self.call_window)
        self.call_pair = BilingualPair(self.call_mn, call_zh, spacing=CALL_SPACING)
        self._banner_box = bl = QVBoxLayout(self.banner)
        bl.addWidget(self.call_pair)

        self.cards_box = named(QWidget(), "windowCards")
        self.cards = QGridLayout(self.cards_box)
        self.cards.setSpacing(8)
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

        # Landscape: the recent calls beside the cards; portrait (a 1080-px-wide screen): below them.
        self.middle = middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        middle.setSpacing(16)
        middle.addWidget(self.cards_box, 3)
        middle.addWidget(self.recent_panel, 1)
        self._columns = 0  # window cards per row, from the card's width at the current type size
        self.type = display_type(1920, 1080, ctx.settings.queue.display_inches)

        self.waiting_label = _label("", "waitingLabel")
        self.waiting_label.setWordWrap(True)  # a catalog with many categories must not widen the screen
        self.waiting_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.waiting_mn = named(MongolianText(vertical=False), "waitingMn")
        self.waiting_pair = BilingualPair(self.waiting_mn, self.waiting_label, spacing=2)
        # The notice on one line in both scripts, scrolling when wider than the screen (ui.display_ticker); a
        # custom notice with no Mongolian wording shows Chinese only rather than the default notice's Mongolian.
        self.notice = NoticeTicker(qs.notice, qs.notice_mn or mongolian(qs.notice))
        self.voice_warning = _label("", "voiceWarning")
        self.voice_warning.hide()

        self._outer = layout = QVBoxLayout(self)
        # The screen's size is the display's size: never grow the window past it while the type is rescaled
        # (a resize from a bigger screen would otherwise keep the bigger minimum for a moment and stick).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(24, 10, 24, 10)
        layout.setSpacing(8)
        layout.addWidget(header)
        # The banner takes what its type needs; the cards and the recent list the rest.
        layout.addWidget(self.banner)
        layout.addLayout(middle, 1)
        layout.addWidget(self.waiting_pair)
        layout.addWidget(self.notice)
        layout.addWidget(self.voice_warning)
        self._pairs = [self.hall_pair, self.call_pair, self.recent_pair, self.waiting_pair]
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
        self.notice.set_languages(languages)
        self.hall_mn.setVisible("mn" in languages.order and bool(self.hall_mn.text()))

    def _show(self, board: q.BoardView) -> None:
        self._loading = False
        self.board = board
        languages = languages_for(self.ctx.settings, hall_bilingual=board.bilingual)
        if languages != self.languages:
            self._set_languages(languages)
        self._follow_hall_languages(board.bilingual, languages)
        self.hall_label.setText(board.hall_name)
        self._show_cards(board)
        for label, call in zip(self.recent_labels, [*board.recent, *[None] * len(self.recent_labels)],
                               strict=False):
            label.setText(f"{call.code}　→　{call.window_number} 号窗口" if call else "")
        # Each "A 社保医保：5 人" stays on one line when the row wraps.
        parts = [whole_words(f"{c.category}\u00a0{c.name.removeprefix(c.category).strip() or '业务'}：{c.waiting}\u00a0人")
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
            self._call_text = f"请 {latest.code} 号到 {latest.window_number} 号窗口办理"
            self.call_mn.setText(_call_mn(latest))
            self.call_window.setText(self._window_words(latest.window_number, latest.masked_name))
            self._fit_call()
        self.refreshed.emit(board)

    def _follow_hall_languages(self, hall_bilingual: bool, languages: Languages) -> None:
        """The voice in the hall's languages: a new announcer from ``announcer_for(hall_bilingual=…)`` when the
        order changed — once the current call has been said, so no call is cut off or dropped."""
        if not self._own_announcer:
            return
        if languages.order == self.announcer.order or self.announcer.busy or self.announcer.pending():
            return
        old = self.announcer
        self.announcer = announcer_for(self.ctx.settings, hall_bilingual=hall_bilingual, parent=self)
        self.announcer.warning.connect(self._on_voice_warning)
        old.deleteLater()

    def _show_cards(self, board: q.BoardView) -> None:
        windows = list(board.windows)
        if len(windows) > MAX_CARDS:
            windows = [w for w in windows if w.code or w.paused][:MAX_CARDS]
        numbers = [w.number for w in windows]
        if numbers != list(self._cards):
            for card in self._cards.values():
                card.deleteLater()
            self._cards = {}
            for w in windows:
                self._cards[w.number] = WindowCard(w.number, w.name, self.languages, name_mn=w.name_mn)
            self._columns = 0  # placed by _apply_fonts, which knows how wide a card must be
            self._apply_fonts()
        for w in windows:
            self._cards[w.number].show_window(w)

    def _place_cards(self, columns: int) -> None:
        """The cards in rows of ``columns``, as many as the screen's width holds at the 5 m type size."""
        if columns == self._columns:
            return
        self._columns = columns
        regrid(self.cards, list(self._cards.values()), columns)

    # --- highlight and clock ------------------------------------------------------------------------------

    def _highlight(self, call: q.BoardCall) -> None:
        again = "（重呼）" if call.kind == "recall" else ""
        self._call_text = f"请 {call.code} 号到 {call.window_number} 号窗口办理{again}"
        self.call_mn.setText(_call_mn(call))
        self.call_window.setText(self._window_words(call.window_number, call.masked_name))
        self._fit_call()
        self.highlighted = True
        _restyle(self.banner, "highlight", True)
        for number, card in self._cards.items():
            _restyle(card, "highlight", number == call.window_number)
        self.highlight_timer.start(max(1, self.ctx.settings.queue.highlight_seconds) * 1000)
        self.called.emit(call)

    def _window_words(self, number: int, masked_name: str = "") -> str:
        """The window said in words as well as its number (issue 18) — "3 号窗口：社保医保" — the number alone for
        a window with no name (or one not on the board); the applicant's masked name after it, on the same line."""
        names = {w.number: w.name for w in self.board.windows} if self.board is not None else {}
        name = names.get(number, "").strip()
        text = f"{number} 号窗口：{name}" if name else f"{number} 号窗口"
        return f"{text}　　{masked_name}" if masked_name else text

    def _end_highlight(self) -> None:
        self.highlighted = False
        _restyle(self.banner, "highlight", False)
        for card in self._cards.values():
            _restyle(card, "highlight", False)
        self.highlight_ended.emit()

    def _tick_clock(self) -> None:
        now = self.ctx.clock.local_now()  # the hall's wall clock, whatever zone the display PC is set to
        weekday = "一二三四五六日"[now.weekday()]
        full = f"{now.year}年{now.month}月{now.day}日 星期{weekday}  {now:%H:%M:%S}"
        # A portrait screen has no room for the hall's name and the full date on one line: the year goes first.
        room = self.header.width() - self.hall_pair.sizeHint().width() - 24
        short = f"{now.month}月{now.day}日 星期{weekday}  {now:%H:%M:%S}"
        self.clock_label.setText(full if self.clock_label.fontMetrics().horizontalAdvance(full) <= room else short)

    def _on_voice_warning(self, text: str) -> None:
        self.voice_warning.setText(text)
        self.voice_warning.show()

    # --- large type that follows the screen ---------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        """Type sizes from the screen (ui.display_sizes: the ticket and window read from 5 m), the cards in as
        many columns as fit, the recent calls below the cards on a portrait screen."""
        t = self.type = display_type(self.width(), self.height(), self.ctx.settings.queue.display_inches)
        portrait = self.height() > self.width()
        self.middle.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.middle.setStretch(0, 3)
        self.middle.setStretch(1, 1 if not portrait else 0)

        def size(label: QLabel, pixels: float, bold: bool = False) -> None:
            font = QFont(label.font())
            font.setPixelSize(max(8, int(pixels)))
            font.setBold(bold)
            label.setFont(font)

        size(self.hall_label, t.near * 1.1, True)
        self.hall_mn.set_pixel_size(int(t.near * 0.9))
        size(self.clock_label, t.near)
        size(self.call_label, t.call, True)
        size(self.call_window, t.code, True)
        size(self.waiting_label, t.near)
        self.notice.set_pixel_size(t.near)
        size(self.voice_warning, t.near * 0.8)
        self.call_mn.set_pixel_size(int(t.call * 0.55))
        self.recent_mn.set_pixel_size(int(t.near * 0.8))
        self.waiting_mn.set_pixel_size(int(t.near * 0.7))
        for label in self.recent_panel.findChildren(QLabel):
            size(label, t.near, label.objectName() == "recentTitle")
        for card in self._cards.values():
            size(card.title, t.code, True)
            size(card.subtitle, t.near)
            size(card.code, t.code, True)
            card.title_mn.set_pixel_size(int(t.code * 0.6))
        self._place_cards(self._fitting_columns(t, portrait))
        self._fit_call()

    def _fit_call(self) -> None:
        """The call on one line (two on a portrait screen, broken before "到"), the window in words below, the
        banner as tall as these lines; the call's type made smaller when its line needs more than the width left
        beside the Mongolian column, never below the 5 m size. (Left to the layout, a wrapped call and the
        Mongolian column beside it would grow each other.)"""
        t = self.type
        portrait = self.height() > self.width()
        text = self._call_text
        if portrait and " 号到 " in text:
            text = text.replace(" 号到 ", " 号\n到 ", 1)
        self.call_label.setText(text)
        lines = text.split("\n")
        margins = self._banner_box.contentsMargins()
        outer = self._outer.contentsMargins()
        inner = self.width() - outer.left() - outer.right() - margins.left() - margins.right()

        def metrics(pixels: int) -> QFontMetrics:
            font = QFont(self.call_label.font())
            font.setPixelSize(pixels)
            return QFontMetrics(font)

        def widest(pixels: int) -> int:
            return max(metrics(pixels).horizontalAdvance(line) for line in lines)

        pixels, window_h, height = t.call, 0, 0
        for _ in range(4):  # a smaller call makes the banner shorter, the Mongolian wider: settle in a few steps
            height = len(lines) * metrics(pixels).height()
            mn_width = 0
            if "mn" in self.languages.order:
                step = QFontMetricsF(self.call_mn.font()).height()
                mn_width = int(len(self.call_mn.lines(height + window_h)) * step) + 4 + CALL_SPACING
            room = max(1, inner - mn_width) - 8
            window_lines = min(2, 1 + metrics(t.code).horizontalAdvance(self.call_window.text()) // room)
            window_h = window_lines * metrics(t.code).height()
            if widest(pixels) <= room:
                break
            pixels = max(t.code, int(pixels * room / widest(pixels)))
        font = QFont(self.call_label.font())
        font.setPixelSize(pixels)
        self.call_label.setFont(font)
        self.banner.setFixedHeight(height + window_h + margins.top() + margins.bottom() + 4)

    def _fitting_columns(self, t: DisplayType, portrait: bool) -> int:
        """How many cards a row holds — each needs room for "16 号窗口" and its ticket at the 5 m size, plus one
        Mongolian column when bilingual — then each card's Mongolian column (its title and the window's Mongolian
        name) set as large as fits the width left in the card, down to half the size of its title."""
        if not self._cards:
            return 1
        margins = self._outer.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        if not portrait:
            room = (room - self.middle.spacing()) * 3 // 4
        bold = QFont(self.call_label.font())
        bold.setPixelSize(t.code)
        code = QFontMetrics(bold)
        widest = max(code.horizontalAdvance(card.title.text()) for card in self._cards.values())
        widest = max(widest, code.horizontalAdvance("A000"))
        bilingual = "mn" in self.languages.order
        step = QFontMetricsF(mongolian_font(int(t.code * 0.6))).height() if bilingual else 0.0
        chrome = 16 + 8 + 4  # the card's margins, the grid's spacing, the pair's spacing
        columns = max(1, min(len(self._cards), room // int(widest + step + chrome + 2)))
        if bilingual:
            # The shortest a card will be: its lines at their sizes (the layout may give it more).
            near = QFont(self.call_label.font())
            near.setPixelSize(t.near)
            length = 2 * code.height() + 2 * QFontMetrics(near).height()
            spare = room // columns - chrome - widest
            for card in self._cards.values():
                for factor in (0.6, 0.5, 0.42, 0.36, 0.3):
                    card.title_mn.set_pixel_size(int(t.code * factor))
                    if len(card.title_mn.lines(length)) * QFontMetricsF(card.title_mn.font()).height() + 2 <= spare:
                        break
        return columns


def _window_mn(number: int, name_mn: str) -> str:
    """A card's Mongolian column: "N dugar čongqu" and the window's Mongolian name when one is configured."""
    title = mongolian("{n} 号窗口").format(n=number)
    return f"{title} {name_mn}" if name_mn else title


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
