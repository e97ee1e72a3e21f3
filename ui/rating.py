"""The applicant-facing rating screen (评价器) of one window: a second monitor or a tablet-style window.

The clerk's screen only asks "please rate case X" (``app.ratings.request_rating``; ``ui.rating_request``);
this screen polls the store for the window's pending request, shows big touch buttons for the five levels, the four
indicators and an optional comment, and writes the rating itself. The clerk never sees or chooses the value.

Bilingual as ``app.language.languages_for`` says (the hall's choice is read with each poll): the waiting screen
and the thanks in vertical Mongolian columns beside the Chinese, the form's title, the matter's catalog name, the
indicators and every button with their Mongolian (``widgets.mongolian_text``).
"""

from __future__ import annotations

import argparse
import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import ratings
from app.errors import CounterError
from app.language import Languages, languages_for
from app.queue.common import hall_bilingual
from app.vocabulary import RATING_BAD_REASONS, RATING_OTHER_REASON, mongolian
from ui.context import AppContext
from ui.voice import Announcer, announcer_for
from widgets.mongolian_text import BilingualButton, BilingualPair, MongolianText

log = logging.getLogger(__name__)

POLL_MS = 1500
REASON_QUESTION = "请选择不满意的原因（可多选）"
NO_WINDOW_IDLE = "本评价器暂未启用，请向工作人员咨询。"
NO_WINDOW_SETUP = "评价器未设置窗口号：请用 python -m app rate --window N 启动，或在设置中填写 hall.window"
# 长辈模式: the type of the levels, the reasons and the buttons (px); the normal sizes are in _apply_mode.
ELDER_LEVEL_PX, LEVEL_PX = 34, 24
THANKS_MS = 6000
LEVEL_COLOURS = {5: "#1e8449", 4: "#52a447", 3: "#d4ac0d", 2: "#e67e22", 1: "#c0392b"}

STYLE = """
#ratingScreen { background: #f3f7fb; }
#ratingScreen QLabel { background: transparent; }
#ratingScreen #ratingTitle { font-size: 30px; font-weight: bold; color: #0b3c6b; }
#ratingScreen #ratingSubtitle { font-size: 20px; color: #334e68; }
#ratingScreen #idleText { font-size: 28px; color: #486581; }
#ratingScreen #thanksText { font-size: 40px; font-weight: bold; color: #1e8449; }
#ratingScreen #indicatorLabel { font-size: 19px; color: #243b53; }
#ratingScreen #ratingError { font-size: 17px; color: #c0392b; }
#ratingScreen QPushButton[role="level"] { min-width: 150px;
    border-radius: 14px; border: 3px solid #bcccdc; background: #ffffff; color: #243b53; }
#ratingScreen QPushButton[role="level"]:checked { color: #ffffff; border-color: #0b3c6b; }
#ratingScreen QPushButton[role="score"] { min-width: 64px; border-radius: 8px;
    border: 2px solid #bcccdc; background: #ffffff; }
#ratingScreen QPushButton[role="reason"] { border-radius: 12px; border: 3px solid #bcccdc;
    background: #ffffff; color: #243b53; }
#ratingScreen QPushButton[role="reason"]:checked { background: #c0392b; color: #ffffff; border-color: #7b241c; }
#ratingScreen #reasonQuestion { font-size: 22px; font-weight: bold; color: #c0392b; }
#ratingScreen #ratingElderButton, #ratingScreen #readAgainButton { min-width: 120px;
    border-radius: 10px; border: 2px solid #0b3c6b; background: #ffffff; color: #0b3c6b; }
#ratingScreen #ratingElderButton:checked { background: #0b3c6b; color: #ffffff; }
#ratingScreen QPushButton[role="score"]:checked { background: #2f6fb0; color: #ffffff; border-color: #0b3c6b; }
#ratingScreen QPlainTextEdit { font-size: 18px; min-height: 44px; max-height: 110px; }
#ratingScreen #submitRatingButton { min-width: 220px; border-radius: 12px;
    background: #2f6fb0; color: #ffffff; }
#ratingScreen #submitRatingButton:disabled { background: #9fb3c8; }
#ratingScreen #declineRatingButton { min-width: 160px; border-radius: 12px; }
#ratingScreen MongolianText { color: #0b3c6b; }
#ratingScreen #thanksMn { color: #1e8449; }
#ratingScreen #idleMn { color: #486581; }
""" + "".join(
    f'#ratingScreen #levelButton{n}:checked {{ background: {c}; }}\n' for n, c in LEVEL_COLOURS.items())


def _pixel_font(widget: QWidget, pixels: int, *, bold: bool = False) -> None:
    """The font of a bilingual button, set here rather than in the style sheet: a style sheet's font rule would
    also resize the button's Mongolian line."""
    font = QFont(widget.font())
    font.setPixelSize(pixels)
    font.setBold(bold)
    widget.setFont(font)


class ScoreRow(QWidget):
    """Five buttons 1–5 for one indicator.

    Signals:
        touched(): the applicant chose a score by hand (it then no longer follows the level).
    """

    touched = Signal()

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[BilingualButton] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # 5 → 1, as the levels run (非常满意 … 非常不满意): the score under a level is the level's own.
        for n in range(5, 0, -1):
            button = BilingualButton(f"{n} 分", f"{n} {mongolian('分')}", mn_scale=0.75)
            _pixel_font(button, 18)
            self.buttons.append(button)
            button.setObjectName(f"score_{key}_{n}")
            button.setProperty("role", "score")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.group.addButton(button, n)
            layout.addWidget(button)
        self.group.idClicked.connect(lambda _n: self.touched.emit())

    def set_languages(self, languages: Languages) -> None:
        for button in self.buttons:
            button.set_languages(languages)

    def value(self) -> int | None:
        n = self.group.checkedId()
        return n if n > 0 else None

    def set_value(self, n: int | None) -> None:
        if n is None:
            self.group.setExclusive(False)
            for b in self.group.buttons():
                b.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.group.button(n).setChecked(True)


class RatingScreen(QWidget):
    """The window's rating screen.

    Signals:
        request_shown(int): a pending request appeared and its form is shown (the request id).
        rated(int): the applicant's rating was saved (the request id).
        declined(int): the applicant chose not to rate.
        failed(str): saving failed; the message is shown on the screen.
    """

    request_shown = Signal(int)
    rated = Signal(int)
    declined = Signal(int)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, *, window_number: int | None = None, poll_ms: int = POLL_MS,
                 announcer: Announcer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # 长辈模式 reads the question and its choices aloud in Chinese (no engine speaks Mongolian; the clips only
        # make calls): a Chinese TTS engine where this PC has one; 无声 mode ([queue] voice) reads nothing.
        self.announcer = announcer if announcer is not None else announcer_for(ctx.settings, hall_bilingual=False,
                                                                                parent=self)
        self.elder_mode = False
        self.announcer.warning.connect(self._on_voice_warning)
        self.window_number = window_number if window_number is not None else ctx.window_number
        self.request: ratings.RatingRequestView | None = None
        self._loading = False
        self._saving = False
        self._touched: set[str] = set()
        self.languages = languages_for(ctx.settings)  # until a poll brings the hall's own choice
        self.setObjectName("ratingScreen")
        self.setWindowTitle("评价器 · 好差评")
        self.setStyleSheet(STYLE)

        self.stack = QStackedWidget()
        self.stack.setObjectName("ratingStack")
        self.idle_label = QLabel()
        self.idle_label.setObjectName("idleText")
        self.idle_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_label.setWordWrap(True)
        self.thanks_label = QLabel("感谢您的评价！\n我们会继续改进服务。")
        self.thanks_label.setObjectName("thanksText")
        self.thanks_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_mn = MongolianText(pixel_size=30)
        self.idle_mn.setObjectName("idleMn")
        self.thanks_mn = MongolianText(f"{mongolian('感谢您的评价！')} {mongolian('我们会继续改进服务。')}",
                                       pixel_size=40)
        self.thanks_mn.setObjectName("thanksMn")
        # The waiting and thank-you screens are signage: Mongolian columns beside the Chinese.
        self.idle_pair = BilingualPair(self.idle_mn, self.idle_label, spacing=32)
        self.thanks_pair = BilingualPair(self.thanks_mn, self.thanks_label, spacing=32)
        self.stack.addWidget(self.idle_pair)
        self.stack.addWidget(self._build_form())
        self.stack.addWidget(self.thanks_pair)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the screen's size is the window's
        layout.setContentsMargins(32, 12, 32, 12)
        layout.addWidget(self.stack)
        self._show_idle()

        self.thanks_timer = QTimer(self, singleShot=True)
        self.thanks_timer.setInterval(THANKS_MS)
        self.thanks_timer.timeout.connect(self._show_idle)
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll)
        if self.window_number is not None:
            self.timer.start()
            self.poll()

    # --- layout -----------------------------------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        form = QWidget()
        form.setObjectName("ratingForm")
        self.title = QLabel("请对本次服务进行评价")
        self.title.setObjectName("ratingTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("ratingSubtitle")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        self.title_mn = MongolianText(mongolian("请对本次服务进行评价"), vertical=False, pixel_size=20)
        self.title_mn.setObjectName("ratingTitleMn")
        self.subtitle_mn = MongolianText(vertical=False, pixel_size=17)  # the window and the matter's name
        self.subtitle_mn.setObjectName("ratingSubtitleMn")
        self.title_pair = BilingualPair(self.title_mn, self.title, spacing=0)
        self.subtitle_pair = BilingualPair(self.subtitle_mn, self.subtitle, spacing=0)
        # 长辈模式: larger type and one tap for a good rating; 再听一遍 reads the question again.
        self.elder_button = BilingualButton("长辈模式", mongolian("长辈模式"), mn_scale=0.75)
        self.elder_button.setObjectName("ratingElderButton")
        self.elder_button.setCheckable(True)
        self.elder_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        _pixel_font(self.elder_button, 19, bold=True)
        self.elder_button.toggled.connect(self.set_elder_mode)
        self.read_button = BilingualButton("再听一遍", mongolian("再听一遍"), mn_scale=0.75)
        self.read_button.setObjectName("readAgainButton")
        self.read_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        _pixel_font(self.read_button, 19)
        self.read_button.clicked.connect(self.read_question)
        self.read_button.hide()
        # The title row: 再听一遍 | the question | 长辈模式 (one row: a 768-line screen has no height to spare).
        top = QHBoxLayout()
        top.addWidget(self.read_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.title_pair, 1)
        top.addWidget(self.elder_button, 0, Qt.AlignmentFlag.AlignTop)

        self.levels = QButtonGroup(self)
        self.levels.setExclusive(True)
        level_row = QHBoxLayout()
        level_row.setSpacing(14)
        self.level_buttons: list[BilingualButton] = []
        for n, text in ratings.LEVELS.items():
            button = BilingualButton(text, mongolian(text), mn_scale=0.7)
            _pixel_font(button, 24, bold=True)
            self.level_buttons.append(button)
            button.setObjectName(f"levelButton{n}")
            button.setProperty("role", "level")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.levels.addButton(button, n)
            level_row.addWidget(button)
        self.levels.idClicked.connect(self._on_level)

        # A 差评 asks why (the 好差评 rules): a few large choices, 其他 with the applicant's own words below.
        self.reason_panel = QWidget()
        self.reason_panel.setObjectName("reasonPanel")
        self.reason_question = QLabel(REASON_QUESTION)
        self.reason_question.setObjectName("reasonQuestion")
        self.reason_question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason_mn = MongolianText(mongolian(REASON_QUESTION), vertical=False, pixel_size=17)
        self.reason_mn.setObjectName("reasonQuestionMn")
        self.reason_pair = BilingualPair(self.reason_mn, self.reason_question, spacing=0)
        reason_grid = QGridLayout()
        reason_grid.setSpacing(10)
        self.reason_buttons: dict[str, BilingualButton] = {}
        for i, reason in enumerate(RATING_BAD_REASONS):
            button = BilingualButton(reason, mongolian(reason), mn_scale=0.75)
            button.setObjectName(f"reason_{i}")
            button.setProperty("role", "reason")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            _pixel_font(button, 20, bold=True)
            button.toggled.connect(self._on_reason)
            self.reason_buttons[reason] = button
            reason_grid.addWidget(button, i // 3, i % 3)
        reason_box = QVBoxLayout(self.reason_panel)
        reason_box.setContentsMargins(0, 0, 0, 0)
        reason_box.addWidget(self.reason_pair)
        reason_box.addLayout(reason_grid)
        self.reason_panel.hide()

        self.indicators = QWidget()
        self.indicators.setObjectName("indicatorGrid")
        grid = QGridLayout(self.indicators)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        self.score_rows: dict[str, ScoreRow] = {}
        self.indicator_pairs: list[BilingualPair] = []
        for i, (key, label) in enumerate(ratings.INDICATORS.items()):
            zh = QLabel(label)
            zh.setObjectName("indicatorLabel")
            mn = MongolianText(mongolian(label), vertical=False, pixel_size=13, alignment=Qt.AlignmentFlag.AlignLeft)
            name = BilingualPair(mn, zh, spacing=0)
            self.indicator_pairs.append(name)
            row = ScoreRow(key)
            row.touched.connect(lambda key=key: self._touched.add(key))
            self.score_rows[key] = row
            # Two indicators a row: four rows of two-script buttons do not fit a 768-line screen.
            grid.addWidget(name, i // 2, (i % 2) * 2)
            grid.addWidget(row, i // 2, (i % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.comment = QPlainTextEdit()
        self.comment.setObjectName("ratingComment")
        self.comment.setPlaceholderText("意见或建议（可不填）")
        self.error_label = QLabel()
        self.error_label.setObjectName("ratingError")
        self.error_label.setWordWrap(True)
        self.submit_button = BilingualButton("提交评价", mongolian("提交评价"), mn_scale=0.7)
        _pixel_font(self.submit_button, 24)
        self.submit_button.setObjectName("submitRatingButton")
        self.submit_button.clicked.connect(self.submit)
        self.decline_button = BilingualButton("暂不评价", mongolian("暂不评价"), mn_scale=0.75)
        _pixel_font(self.decline_button, 19)
        self.decline_button.setObjectName("declineRatingButton")
        self.decline_button.clicked.connect(self.decline)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.decline_button)
        buttons.addWidget(self.submit_button)

        layout = QVBoxLayout(form)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.subtitle_pair)
        layout.addLayout(level_row)
        layout.addWidget(self.reason_panel)
        layout.addWidget(self.indicators)
        layout.addWidget(self.comment)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        return form

    # --- states -----------------------------------------------------------------------------------------------

    def set_languages(self, languages: Languages) -> None:
        """Show both scripts in ``languages``' order, or Chinese only."""
        self.languages = languages
        for pair in (self.idle_pair, self.thanks_pair, self.title_pair, self.subtitle_pair, self.reason_pair,
                     *self.indicator_pairs):
            pair.set_languages(languages)
        for button in (*self.level_buttons, *self.reason_buttons.values(), self.submit_button, self.decline_button,
                       self.elder_button, self.read_button):
            button.set_languages(languages)
        for row in self.score_rows.values():
            row.set_languages(languages)
        self.idle_mn.setVisible("mn" in languages.order and bool(self.idle_mn.text()))
        self.subtitle_mn.setVisible("mn" in languages.order and bool(self.subtitle_mn.text()))

    def _show_idle(self) -> None:
        self.request = None
        self.set_elder_mode(False)  # the next applicant starts in the normal mode
        if self.window_number is None:
            # The public sees a plain line; how to set the window up is for staff, in the log.
            log.warning(NO_WINDOW_SETUP)
            self.idle_label.setText(NO_WINDOW_IDLE)
            self.idle_mn.setText("")
        else:
            self.idle_label.setText(f"{self.window_number} 号窗口\n\n业务办理完成后，请在这里为我们的服务评价。")
            self.idle_mn.setText(f"{mongolian('{n} 号窗口').format(n=self.window_number)} "
                                 f"{mongolian('业务办理完成后，请在这里为我们的服务评价。')}")
        self.set_languages(self.languages)
        self.stack.setCurrentIndex(0)

    def _show_form(self, req: ratings.RatingRequestView) -> None:
        self.request = req
        self._touched.clear()
        self.levels.setExclusive(False)
        for b in self.levels.buttons():
            b.setChecked(False)
        self.levels.setExclusive(True)
        for row in self.score_rows.values():
            row.set_value(None)
        self.comment.clear()
        self.error_label.clear()
        self._clear_reasons()
        self.submit_button.setEnabled(False)
        who = f"{req.window_number} 号窗口" + (f" · 工作人员 {req.clerk_name}" if req.clerk_name else "")
        what = f"办件 {req.case_no}  {req.matter_name}" if req.case_no else f"号票 {req.ticket_code}"
        self.subtitle.setText(f"{who}　{what}")
        # The window and the matter's catalog name in Mongolian; the clerk's name and the numbers as they are.
        what_mn = req.matter_name_mn if req.case_no else f"{mongolian('号票')} {req.ticket_code}"
        self.subtitle_mn.setText(" ".join(x for x in (
            mongolian("{n} 号窗口").format(n=req.window_number), what_mn) if x))
        self.set_languages(languages_for(self.ctx.settings, hall_bilingual=req.bilingual))
        self.stack.setCurrentIndex(1)
        self._apply_mode()
        self.request_shown.emit(req.id)
        if self.elder_mode:
            self.read_question()

    def _on_level(self, level: int) -> None:
        # Indicators follow the level until the applicant sets one by hand.
        for key, row in self.score_rows.items():
            if key not in self._touched:
                row.set_value(level)
        bad = level <= ratings.BAD_LEVEL
        if not bad:
            self._clear_reasons()
        self.reason_panel.setVisible(bad)
        self.error_label.clear()
        self.submit_button.setEnabled(not self._saving)
        self._apply_mode()
        if self.elder_mode:
            if bad:
                self.read_question()
            else:
                self.submit()  # 长辈模式: one tap for a good rating, no second step

    # --- 长辈模式 and the reasons of a 差评 ---------------------------------------------------------------------

    def set_elder_mode(self, on: bool) -> None:
        """Large type and fewer steps: the indicators follow the level (not shown), a good level is sent with one
        tap, and the question and its choices are read aloud (again with 再听一遍)."""
        if self.elder_button.isChecked() != on:
            self.elder_button.setChecked(on)  # comes back here through toggled
            return
        if on == self.elder_mode:
            return
        self.elder_mode = on
        self._apply_mode()
        if on and self.stack.currentIndex() == 1:
            self.read_question()

    def _apply_mode(self) -> None:
        elder = self.elder_mode
        bad = self.reason_panel.isVisibleTo(self)
        self.read_button.setVisible(elder)
        # A 差评's reasons take the indicators' place (the indicators follow the level, as when not shown).
        self.indicators.setVisible(not elder and not bad)
        # 长辈模式 asking a 差评's reasons: the window/ticket line gives its room to the large reasons.
        self.subtitle_pair.setVisible(not (elder and bad))
        # The comment: for the applicant's words in the normal mode, and for 其他 in both.
        other = self.reason_buttons[RATING_OTHER_REASON].isChecked() and self.reason_panel.isVisibleTo(self)
        self.comment.setVisible(not elder or other)
        self.comment.setPlaceholderText("请写明不满意的原因" if other else "意见或建议（可不填）")
        # 长辈模式 once a 差评 is chosen: the levels a little smaller, so its reasons get the room at 768 lines.
        level_px = (ELDER_LEVEL_PX - 6 if bad else ELDER_LEVEL_PX) if elder else LEVEL_PX
        for button in self.level_buttons:
            _pixel_font(button, level_px, bold=True)
            button.setMinimumHeight(150 if elder and not bad else 0)  # the room goes to the reasons once asked
        for button in self.reason_buttons.values():
            _pixel_font(button, 24 if elder else 20, bold=True)
        _pixel_font(self.title, (34 if bad else 40) if elder else 30, bold=True)
        for button in (self.submit_button, self.decline_button, *self.reason_buttons.values()):
            # Both scripts' lines, held: when the screen is short the comment box gives way, not these.
            button.setMinimumHeight(button.minimumSizeHint().height())
        self.title_mn.set_pixel_size(26 if elder else 20)

    def question_text(self) -> str:
        """What 长辈模式 reads: the question and its choices — the reasons once a 差评 is chosen."""
        if self.reason_panel.isVisibleTo(self):
            return f"{REASON_QUESTION.replace('（可多选）', '')}：{'、'.join(RATING_BAD_REASONS)}。选好后请点提交评价。"
        return f"{self.title.text()}：{'、'.join(ratings.LEVELS.values())}。"

    def _on_voice_warning(self, text: str) -> None:
        if self.elder_mode:  # only 长辈模式 reads aloud; say once why nothing is heard
            self.error_label.setText(text)

    def read_question(self) -> None:
        if self.stack.currentIndex() == 1:
            self.announcer.read_aloud(self.question_text())

    def reasons(self) -> list[str]:
        return [reason for reason, button in self.reason_buttons.items() if button.isChecked()]

    def _clear_reasons(self) -> None:
        for button in self.reason_buttons.values():
            button.blockSignals(True)
            button.setChecked(False)
            button.blockSignals(False)
        self.reason_panel.hide()

    def _on_reason(self, _checked: bool) -> None:
        self.error_label.clear()
        self._apply_mode()

    # --- store ------------------------------------------------------------------------------------------------

    def poll(self) -> None:
        if self._loading or self._saving or self.window_number is None:
            return
        self._loading = True
        store, hall, window = self.ctx.store, self.ctx.hall_code, self.window_number

        def load() -> tuple[ratings.RatingRequestView | None, bool]:
            with store.read() as s:
                return ratings.pending_request(s, hall_code=hall, window_number=window), hall_bilingual(s, hall)

        self.ctx.runner.submit(load, self._on_polled, self._on_poll_error)

    def _on_polled(self, polled: tuple[ratings.RatingRequestView | None, bool]) -> None:
        self._loading = False
        req, bilingual = polled
        languages = languages_for(self.ctx.settings, hall_bilingual=bilingual)
        if languages != self.languages:
            self.set_languages(languages)
        if self.stack.currentIndex() == 2 and req is None:
            return  # keep thanking until the timer ends it
        if req is None:
            if self.request is not None:  # superseded or withdrawn while shown
                self._show_idle()
            return
        if self.request is None or req.id != self.request.id:
            self.thanks_timer.stop()
            self._show_form(req)

    def _on_poll_error(self, exc: BaseException) -> None:
        self._loading = False
        if self.stack.currentIndex() == 1:
            self.error_label.setText(exc.message if isinstance(exc, CounterError) else "暂时无法连接数据库")

    def submit(self) -> None:
        level = self.levels.checkedId()
        if self.request is None or level < 1 or self._saving:
            return
        reasons = self.reasons() if level <= ratings.BAD_LEVEL else []
        if level <= ratings.BAD_LEVEL and not reasons:
            self.error_label.setText("请在上面选择不满意的原因（可多选），以便我们改进服务")
            return
        if RATING_OTHER_REASON in reasons and not self.comment.toPlainText().strip():
            self.error_label.setText("选择了“其他”：请在下面写明不满意的原因")
            self.comment.setFocus()
            return
        self._saving = True
        self.submit_button.setEnabled(False)
        store, req_id, clock = self.ctx.store, self.request.id, self.ctx.clock
        scores = {key: row.value() for key, row in self.score_rows.items()}
        comment = self.comment.toPlainText()
        workdays = self.ctx.settings.counter.follow_up_workdays
        self.ctx.runner.submit(
            lambda: ratings.submit_rating(store, req_id, level=level, overall=scores.get("overall"),
                                          efficiency=scores.get("efficiency"), service=scores.get("service"),
                                          attitude=scores.get("attitude"), comment=comment, reasons=reasons,
                                          follow_up_workdays=workdays, clock=clock),
            lambda _view: self._on_saved(req_id), self._on_save_error)

    def _on_saved(self, request_id: int) -> None:
        self._saving = False
        self.request = None
        self.stack.setCurrentIndex(2)
        self.set_elder_mode(False)
        self.thanks_timer.start()
        self.rated.emit(request_id)

    def _on_save_error(self, exc: BaseException) -> None:
        self._saving = False
        message = exc.message if isinstance(exc, CounterError) else "评价未能保存，请再试一次或告知工作人员"
        self.error_label.setText(message)
        self.submit_button.setEnabled(self.levels.checkedId() > 0)
        self.failed.emit(message)

    def decline(self) -> None:
        if self.request is None:
            return
        store, req_id = self.ctx.store, self.request.id

        def done(_v: object) -> None:
            self._show_idle()
            self.declined.emit(req_id)

        self.ctx.runner.submit(lambda: ratings.decline_request(store, req_id, clock=self.ctx.clock), done, self._on_save_error)


def create(ctx: AppContext, args: argparse.Namespace) -> QWidget:
    """``python -m app rate --window N [--screen I] [--windowed]``: window N's rating screen, full screen on
    screen I (the applicant-facing monitor) unless ``--windowed``."""
    window = getattr(args, "window", None) or ctx.window_number
    screen = RatingScreen(ctx, window_number=window)
    screen.resize(1100, 720)
    screens = QGuiApplication.screens()
    index = getattr(args, "screen", -1)
    if isinstance(index, int) and 0 <= index < len(screens):
        screen.setGeometry(screens[index].geometry())
    if not getattr(args, "windowed", False):
        screen.setWindowState(Qt.WindowState.WindowFullScreen)
    return screen
