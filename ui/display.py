"""The hall display (大厅叫号显示屏): the newest call in very large type, each window's current ticket, the
latest calls, how many wait per category, and the hall's notice line.

Reads the shared store once a second through ``ctx.runner``; a new call is highlighted for
``Settings.queue.highlight_seconds`` and announced by the voice. Names appear masked; ID numbers never.
"""

from __future__ import annotations

import argparse

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app import queue as q
from app.errors import CounterError
from ui.context import AppContext
from ui.voice import Announcer, announcer_for
from widgets.naming import named

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
        for child in widget.findChildren(QLabel):
            child.style().unpolish(child)
            child.style().polish(child)


class WindowCard(QFrame):
    def __init__(self, number: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("windowCard")
        self.number = number
        self.title = _label(f"{number} 号窗口", "windowTitle")
        self.subtitle = _label(name, "windowName")
        self.code = _label("—", "windowCode")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.code, 1)

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
        self.highlighted = False
        self._last_call_id: int | None = None  # None until the first read: old calls are not re-announced
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
        bl = QVBoxLayout(self.banner)
        bl.addWidget(self.call_label, 1)
        bl.addWidget(self.call_name)

        self.cards_box = named(QWidget(), "windowCards")
        self.cards = QGridLayout(self.cards_box)
        self.cards.setSpacing(12)
        self.cards.setContentsMargins(0, 0, 0, 0)

        self.recent_panel = named(QFrame(), "recentPanel")
        rl = QVBoxLayout(self.recent_panel)
        rl.addWidget(_label("最近叫号", "recentTitle"))
        self.recent_labels = [_label("", f"recentCall{i}") for i in range(6)]
        for label in self.recent_labels:
            rl.addWidget(label)
        rl.addStretch(1)

        middle = QHBoxLayout()
        middle.setSpacing(16)
        middle.addWidget(self.cards_box, 3)
        middle.addWidget(self.recent_panel, 1)

        self.waiting_label = _label("", "waitingLabel")
        self.waiting_label.setWordWrap(True)  # a catalog with many categories must not widen the screen
        self.waiting_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.notice_label = _label(qs.notice, "noticeLabel")
        self.notice_label.setWordWrap(True)
        self.voice_warning = _label("", "voiceWarning")
        self.voice_warning.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(14)
        layout.addWidget(header)
        layout.addWidget(self.banner, 3)
        layout.addLayout(middle, 4)
        layout.addWidget(self.waiting_label)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.voice_warning)

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
        self._loading = False
        text = exc.message if isinstance(exc, CounterError) else "暂时无法读取叫号数据"
        self.waiting_label.setText(f"⚠ {text}")

    def _show(self, board: q.BoardView) -> None:
        self._loading = False
        self.board = board
        self.hall_label.setText(board.hall_name)
        self._show_cards(board)
        for label, call in zip(self.recent_labels, [*board.recent, *[None] * len(self.recent_labels)],
                               strict=False):
            label.setText(f"{call.code}　→　{call.window_number} 号窗口" if call else "")
        # Non-breaking spaces keep "A 社保医保：5 人" on one line when the row wraps.
        parts = [f"{c.category}\u00a0{c.name.removeprefix(c.category).strip() or '业务'}：{c.waiting}\u00a0人"
                 for c in board.waiting]
        self.waiting_label.setText(f"等候 {board.total_waiting} 人　　" + "　　".join(parts))
        new = [c for c in board.recent if self._last_call_id is not None and c.event_id > self._last_call_id]
        self._last_call_id = board.latest_call_id
        for call in reversed(new):  # oldest first, so the voice calls them in order
            self.announcer.announce(call.code, call.window_number)
        if new:
            self._highlight(new[0])
        elif board.recent and not self.highlighted:
            latest = board.recent[0]
            self.call_label.setText(f"请 {latest.code} 号到 {latest.window_number} 号窗口办理")
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
                card = WindowCard(w.number, w.name)
                self.cards.addWidget(card, i // cols, i % cols)
                self._cards[w.number] = card
            self._apply_fonts()
        for w in windows:
            self._cards[w.number].show_window(w)

    # --- highlight and clock ------------------------------------------------------------------------------

    def _highlight(self, call: q.BoardCall) -> None:
        again = "（重呼）" if call.kind == "recall" else ""
        self.call_label.setText(f"请 {call.code} 号到 {call.window_number} 号窗口办理{again}")
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
        for label in self.recent_panel.findChildren(QLabel):
            size(label, 1.05, label.objectName() == "recentTitle")
        for card in self._cards.values():
            size(card.title, 0.9, True)
            size(card.subtitle, 0.65)
            size(card.code, 1.9, True)


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
