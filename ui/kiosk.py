"""The self-service kiosk (自助取号机): touch-sized buttons per business category, 绿色通道 priority,
appointment check-in, and a printed ticket.

Layout: the type follows a unit that is a 30th of the height, or less when the screen is narrow (a portrait
1080×1920 kiosk), so the screen holds at 1366×768, 1920×1080 and portrait alike (tests/ui/test_layouts.py);
portrait puts the categories in two columns. The middle of the screen is a page stack: the category grid, the
on-screen keypad (``ui/kiosk_keypad.py``: digits and X, the only typing a kiosk needs) for the appointment code
or ID number, and any page another flow adds with :meth:`Kiosk.add_page`.

长辈模式 (a toggle at the top): larger type and one step fewer — 老年人优先 is already chosen and the 绿色通道 row
is hidden, so one tap on a category takes the number; the next applicant starts in the normal mode again. Each
step's instruction (the status line: choose a category, type the code, take the ticket) is read aloud through
``ui.voice``'s announcer (a Chinese TTS voice; recorded clips cannot read free text, and 无声 mode says nothing).
呼叫工作人员 records a help call (``app.queue.help``) that the supervisor's screen shows until someone answers.

Bilingual as ``app.language.languages_for`` says (the hall's choice is read with the categories): the title, the
prompt, every button and the status line carry their Mongolian (``widgets.mongolian_text``, horizontal: buttons
are narrow places), above the Chinese when Mongolian comes first; the ticket prints in the same languages.

A ticket counts as issued only once it has printed: issue (``issuing``) → print → ``confirm_printed``
(``waiting``). A failed print voids the ticket and the screen says so. Taps while a ticket is on its way, and
for a short moment after, are ignored, so a double tap never draws two numbers.

The hall server gone (``app.queue.offline``): numbers come from the kiosk's reserved block, so the kiosk goes on
issuing and printing from its local copy and tells the applicant nothing alarming (only the count ahead is left
off the ticket); every ``sync_ms`` it tries the server again, and the tickets printed meanwhile join the hall's
queue once, in issue order. A kiosk started during an outage shows the categories it last read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import queue as q
from app.clock import HallClock
from app.errors import CounterError, PrintError, StoreError
from app.language import Languages, languages_for
from app.queue.common import catalog_category_names_mn, get_hall, hall_bilingual
from app.queue.help import request_help
from app.queue.offline import KioskJournal, LocalTicket, join_pending
from app.queue.priority import decide, hall_rules, issue_green
from app.settings import Settings
from app.vocabulary import mongolian
from ui.context import AppContext
from ui.kiosk_checkin import KioskCheckIn
from ui.kiosk_keypad import KioskKeypad
from ui.voice import CN_DIGITS, Announcer, pick_speaker
from widgets.mongolian_text import BilingualButton, BilingualPair, MongolianText
from widgets.naming import named
from widgets.screen_fit import regrid

STYLE = """
#kiosk { background: #f3f6fa; }
#kiosk QLabel { background: transparent; }
#kiosk QPushButton { border-radius: 14px; border: 2px solid #1f5fa8; background: #ffffff; color: #173a63; }
#kiosk QPushButton:pressed { background: #dce9f8; }
#kiosk QPushButton:disabled { color: #9aa7b4; border-color: #c4ccd4; }
#kiosk QPushButton[category="true"] { background: #1f5fa8; color: #ffffff; }
#kiosk QPushButton[category="true"]:disabled { background: #8fa9c6; }
#kiosk QPushButton:checked { background: #2e7d32; color: #ffffff; border-color: #2e7d32; }
#kioskStatus { color: #173a63; }
#kioskStatus[error="true"] { color: #b3261e; }
#kiosk QLineEdit { border: 2px solid #1f5fa8; border-radius: 10px; padding: 6px; background: #ffffff; }
#kiosk MongolianText { color: #173a63; }
#kiosk #kioskStatusMn[error="true"] { color: #b3261e; }
#kiosk #keypadDisplay { background: #ffffff; border: 2px solid #1f5fa8; border-radius: 10px; color: #173a63; }
#kiosk #helpButton { border-color: #b3261e; color: #b3261e; }
"""

PRIORITY_BUTTONS = (("elder", "老年人优先", "elderButton"), ("disabled", "残疾人优先", "disabledButton"),
                    ("military", "军人/消防优先", "militaryButton"), ("pregnant", "孕妇优先", "pregnantButton"))
# The kiosk cannot check who is entitled: said when a 绿色通道 button is chosen, so nobody is surprised at the window.
PRIORITY_CONFIRM = {
    "elder": "老年人优先：请到窗口时出示身份证，由工作人员确认",
    "disabled": "残疾人优先：请到窗口时出示残疾人证，由工作人员确认",
    "military": "军人、消防救援人员依法优先：请到窗口时出示军人或消防救援人员证件，由工作人员确认",
    "pregnant": "孕妇优先：请到窗口时向工作人员说明，由工作人员确认",
}


def ticket_printer_for(settings: Settings, clock: HallClock) -> Any:
    """The thermal printer if ``printing.thermal`` is set, else PDFs in ``printing.output_dir`` or data_dir/tickets."""
    from printing.backends import ticket_printer

    out = settings.printing.output_dir or str(Path(settings.data_dir) / "tickets")
    return ticket_printer(thermal=settings.printing.thermal, output_dir=out, clock=clock,
                          width_mm=settings.queue.ticket_width_mm)


class Kiosk(QWidget):
    """Signals:
        issued(object): a ticket printed and joined the queue (TicketView).
        failed(str): a ticket could not be issued or printed (the message shown).
        help_called(): a help call was recorded.
    """

    issued = Signal(object)
    failed = Signal(str)
    help_called = Signal()

    def __init__(self, ctx: AppContext, *, printer: Any = None, cooldown_ms: int = 1500, sync_ms: int = 10000,
                 voice: Announcer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("kiosk")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setWindowTitle("自助取号机")
        self.printer = printer
        self.voice = voice  # 长辈模式's read-aloud; made on first use (``_voice``)
        self.busy = False
        self.hall_name = ctx.settings.hall.name
        self.languages = languages_for(ctx.settings)  # until the store read brings the hall's own choice
        self.category_buttons: dict[str, BilingualButton] = {}
        self.category_names: dict[str, tuple[str, str]] = {}  # letter → (Chinese, Mongolian) as on the buttons
        self.cooldown = QTimer(self, singleShot=True)
        self.cooldown.setInterval(cooldown_ms)
        self.cooldown.timeout.connect(lambda: self._set_busy(False))
        self.reset_timer = QTimer(self, singleShot=True)
        self.reset_timer.setInterval(15000)
        self.reset_timer.timeout.connect(self._reset_status)
        # The local copy: the reserved numbers and the tickets the hall server has not confirmed yet.
        self.journal = KioskJournal.for_data_dir(ctx.settings.data_dir)
        self.offline_since: dt.datetime | None = None  # when the hall server stopped answering
        self.local: dict[str, LocalTicket] = {}  # request id → the local ticket, while it prints
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(sync_ms)
        self.sync_timer.timeout.connect(self.sync_now)
        self._syncing = False

        self.title = named(QLabel("自助取号", alignment=Qt.AlignmentFlag.AlignCenter), "kioskTitle")
        self.hint = named(QLabel("请点击要办理的业务类别", alignment=Qt.AlignmentFlag.AlignCenter), "kioskHint")
        self.title_mn = named(MongolianText(mongolian("自助取号"), vertical=False), "kioskTitleMn")
        self.hint_mn = named(MongolianText(mongolian("请点击要办理的业务类别"), vertical=False), "kioskHintMn")
        self.elder_button = named(BilingualButton("长辈模式", mongolian("长辈模式"), mn_scale=0.7), "elderModeButton")
        self.elder_button.setCheckable(True)
        self.elder_button.toggled.connect(self.set_elder_mode)
        self.help_button = named(BilingualButton("呼叫工作人员", mongolian("呼叫工作人员"), mn_scale=0.7), "helpButton")
        self.help_button.clicked.connect(self.call_help)
        self.elder_mode = False
        self.grid_page = named(QWidget(), "categoryPage")
        self.grid = QGridLayout(self.grid_page)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(18)
        self._cols = 0

        self.priority_group = QButtonGroup(self)
        self.priority_group.setExclusive(False)
        self.priority_label = named(QLabel("绿色通道："), "priorityLabel")
        self.priority_mn = named(MongolianText(mongolian("绿色通道") + ":", vertical=False,
                                               alignment=Qt.AlignmentFlag.AlignLeft), "priorityLabelMn")
        self.priority_pair = BilingualPair(self.priority_mn, self.priority_label, spacing=0)
        self.priority_row = named(QWidget(), "priorityRow")
        prio_row = QHBoxLayout(self.priority_row)
        prio_row.setContentsMargins(0, 0, 0, 0)
        prio_row.addWidget(self.priority_pair)
        self.priority_buttons: dict[str, BilingualButton] = {}
        for kind, text, name in PRIORITY_BUTTONS:
            button = named(BilingualButton(text, mongolian(text), mn_scale=0.7), name)
            button.setCheckable(True)
            button.toggled.connect(lambda on, k=kind: self._only_priority(k, on))
            self.priority_buttons[kind] = button
            prio_row.addWidget(button)

        self.appointment_edit = named(QLineEdit(), "appointmentEdit")
        self.appointment_edit.setPlaceholderText("预约码或身份证号码（点此输入）")
        self.appointment_edit.returnPressed.connect(self.check_in)
        self.appointment_edit.installEventFilter(self)  # a tap on the field opens the keypad
        self.checkin_button = named(BilingualButton("预约签到", mongolian("预约签到")), "checkInButton")
        self.checkin_button.clicked.connect(self.check_in)
        self.keypad = named(KioskKeypad(self.appointment_edit), "kioskKeypad")
        self.keypad.submitted.connect(lambda _text: self.check_in())
        self.keypad.cancelled.connect(lambda: self.show_page("categories"))
        self.pages = named(QStackedWidget(), "kioskPages")
        self._page_index: dict[str, int] = {}
        self.add_page("categories", self.grid_page)
        self.add_page("keypad", self.keypad)
        appt_row = QHBoxLayout()
        appt_row.addWidget(self.appointment_edit, 1)
        appt_row.addWidget(self.checkin_button)

        self.status = named(QLabel("", alignment=Qt.AlignmentFlag.AlignCenter), "kioskStatus")
        self.status.setWordWrap(True)
        self.status_mn = named(MongolianText(vertical=False), "kioskStatusMn")
        # Title and prompt: one line each, the Mongolian to the left (the buttons need the height).
        self.title_pair = BilingualPair(self.title_mn, self.title, side_by_side=True, spacing=16)
        self.hint_pair = BilingualPair(self.hint_mn, self.hint, side_by_side=True, spacing=12)
        self.status_pair = BilingualPair(self.status_mn, self.status, spacing=0)

        layout = QVBoxLayout(self)
        # The screen's size is the kiosk's size: the type follows the height, and the window must not grow to
        # the minimum of a type it has not yet rescaled (it would grow, rescale bigger, and grow again).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(40, 20, 40, 20)
        layout.setSpacing(12)
        # The title with 长辈模式 / 呼叫工作人员 beside it; on a portrait screen the two buttons go under it.
        self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top.addWidget(self.title_pair, 1)
        top_buttons = QHBoxLayout()
        top_buttons.addStretch(1)
        top_buttons.addWidget(self.elder_button)
        top_buttons.addWidget(self.help_button)
        self.top.addLayout(top_buttons)
        layout.addLayout(self.top)
        layout.addWidget(self.hint_pair)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.priority_row)
        layout.addLayout(appt_row)
        layout.addWidget(self.status_pair)
        self._pairs = [self.title_pair, self.hint_pair, self.status_pair, self.priority_pair]
        self.checkin = KioskCheckIn(self)
        self._set_languages(self.languages)
        self._apply_fonts()
        self._load_categories()

    # --- setup ------------------------------------------------------------------------------------------------

    def _load_categories(self) -> None:
        store, hall = self.ctx.store, self.ctx.hall_code

        journal, key = self.journal, f"categories:{hall}"

        def load() -> tuple[str, dict[str, str], dict[str, str], bool]:
            with store.read() as s:
                loaded = (get_hall(s, hall).name, q.hall_categories(s, hall), catalog_category_names_mn(s),
                          hall_bilingual(s, hall))
            journal.remember(key, list(loaded))
            return loaded

        def offline(exc: BaseException) -> None:
            cached = journal.recall(key) if isinstance(exc, StoreError) else None
            if not isinstance(cached, list):
                self._show_error(exc)
                return
            self._went_offline()
            name, categories, names_mn, bilingual = cached
            self._build_buttons((str(name), dict(categories), dict(names_mn), bool(bilingual)))

        def built(loaded: tuple[str, dict[str, str], dict[str, str], bool]) -> None:
            self._build_buttons(loaded)
            self.sync_now()  # reserve this kiosk's numbers (and join what an earlier outage left)

        self.ctx.runner.submit(load, built, offline)
        self.sync_timer.start()

    def _set_languages(self, languages: Languages) -> None:
        self.languages = languages
        for pair in self._pairs:
            pair.set_languages(languages)
        for button in [*self.category_buttons.values(), *self.priority_buttons.values(), self.checkin_button,
                       self.elder_button, self.help_button]:
            button.set_languages(languages)
        self.keypad.set_languages(languages)

    def _build_buttons(self, loaded: tuple[str, dict[str, str], dict[str, str], bool]) -> None:
        self.hall_name, categories, names_mn, bilingual = loaded
        self.title.setText(f"{self.hall_name}　自助取号")
        for letter, name in categories.items():
            label = name.removeprefix(letter).strip() or f"{letter} 类业务"
            self.category_names[letter] = (label, names_mn.get(letter, ""))
            # With a Mongolian line under it the letter shares the Chinese line, so three rows fit a 768 screen.
            mn = names_mn.get(letter, "")
            button = named(BilingualButton(f"{letter}　{label}" if mn else f"{letter}\n{label}", mn, mn_scale=0.62),
                           f"categoryButton_{letter}")
            button.setProperty("category", True)
            button.setMinimumSize(220, 120)
            # Rows share the grid's height evenly (a portrait screen's height goes to taller buttons, not gaps).
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _c=False, k=letter: self.take(k))
            self.category_buttons[letter] = button
        self._arrange_grid()
        self._set_languages(languages_for(self.ctx.settings, hall_bilingual=bilingual))
        self._apply_fonts()
        if not categories:
            self._say("本大厅暂未开放取号，请到服务台咨询", error=True, mn=mongolian("本大厅暂未开放取号，请到服务台咨询"))

    def _only_priority(self, kind: str, on: bool) -> None:
        if on:
            for other, button in self.priority_buttons.items():
                if other != kind:
                    button.setChecked(False)
            if not self.elder_mode:  # 长辈模式 says its own line
                text = PRIORITY_CONFIRM[kind]
                self._say(text, mn=mongolian(text))

    def priority(self) -> str:
        return next((k for k, b in self.priority_buttons.items() if b.isChecked()), "")

    # --- issuing ----------------------------------------------------------------------------------------------

    def take(self, category: str) -> None:
        """A tap on a category: issue, print, confirm; ignored while another ticket is on its way.

        The number comes from this kiosk's reserved block; the hall store is told at once, or — the server
        gone — the ticket prints from the local copy and joins the queue when the server is back."""
        if self.busy:
            return
        store, hall, qs = self.ctx.store, self.ctx.hall_code, self.ctx.settings.queue
        priority, rid = self.priority(), f"kiosk-{uuid.uuid4()}"
        clock, journal = self.ctx.clock, self.journal
        rules = hall_rules(qs)  # the hall's 绿色通道 rules: jump or weight, or switched off (said on screen)
        offline = self.offline_since is not None

        def issue() -> q.TicketView:
            at = clock.now()
            day = clock.day_of(at)
            green = decide(rules, kind=priority, day=day)  # a rule switched off is refused before a number is drawn
            local = journal.draw(request_id=rid, hall_code=hall, category=category, green=green, rules=rules,
                                 at=at, day=day, daily_reset=qs.daily_reset)
            if local is not None:
                self.local[rid] = local
                if offline:
                    return local.view()
            try:
                ticket = issue_green(store, hall_code=hall, category=category, kind=priority, rules=rules,
                                     request_id=rid, daily_reset=qs.daily_reset, clock=clock, at=at,
                                     number=local.number if local else None)[0]
            except StoreError:
                if local is None:
                    raise
                return local.view()  # the server is gone: print from the local copy
            if local is not None:
                journal.mark(rid, "online")
            return ticket

        self._start(issue)

    def check_in(self) -> None:
        """预约签到 (``ui.kiosk_checkin``): by code or ID number, on time into the appointment lane, late as an
        ordinary ticket with a message saying so; with nothing typed yet, the keypad opens to type it."""
        if self.busy:
            return
        if not self.appointment_edit.text().strip():
            self.open_keypad()
            return
        self.checkin.start(self.appointment_edit.text())

    def _start(self, issue: Callable[[], q.TicketView]) -> None:
        self._set_busy(True)
        self._say("正在出票，请稍候…", mn=mongolian("正在出票，请稍候…"))
        self.ctx.runner.submit(issue, self._print, self._failed_before_print)

    def _print(self, ticket: q.TicketView) -> None:
        from printing.data import TicketDoc

        settings = self.ctx.settings
        store = self.ctx.store
        if not ticket.id:  # issued from the local copy: the hall server is gone
            self._went_offline()
        zh_name, mn_name = self.category_names.get(ticket.category, (ticket.category, ""))
        languages = self.languages

        def render_and_print() -> int | None:
            ahead: int | None = None  # issued from the local copy: the hall's queue is not known
            if ticket.id:
                with store.read() as s:
                    ahead = q.ahead_of(s, ticket.id)
            doc = TicketDoc(code=ticket.code, category=ticket.category, category_name=zh_name,
                            category_name_mn=mn_name, bilingual=languages.bilingual,
                            mongolian_first=languages.mongolian_first,
                            hall_code=self.ctx.hall_code, hall_name=self.hall_name,
                            issued_at=self.ctx.clock.local(ticket.issued_at).replace(tzinfo=None), ahead=ahead,
                            priority=ticket.priority or ticket.priority_reason, notice=settings.queue.notice,
                            notice_mn=settings.queue.notice_mn,
                            appointment=ticket.appointment_id is not None)
            printer = self.printer if self.printer is not None else ticket_printer_for(settings, self.ctx.clock)
            printer.print_ticket(doc)
            return ahead

        self.ctx.runner.submit(render_and_print, lambda ahead: self._confirm(ticket, ahead),
                               lambda exc: self._void(ticket, exc), pool="io")

    def _confirm(self, ticket: q.TicketView, ahead: int | None) -> None:
        store, clock, journal = self.ctx.store, self.ctx.clock, self.journal
        rid = self._local_id(ticket)

        def confirm() -> q.TicketView:
            if not ticket.id and rid is not None:  # printed from the local copy: it joins when the server is back
                journal.mark(rid, "printed")
                return ticket
            try:
                confirmed = q.confirm_printed(store, ticket.id, clock=clock)
            except StoreError:
                if rid is None:
                    raise
                journal.mark(rid, "printed")  # it printed; the server confirms it on reconnect
                return ticket
            if rid is not None:
                journal.mark(rid, "joined")
            return confirmed

        def done(t: q.TicketView) -> None:
            elder = self.elder_mode
            self.appointment_edit.clear()
            self.show_page("categories")
            for button in self.priority_buttons.values():
                button.setChecked(False)
            front = "" if ahead is None else f"前面还有 {ahead} 人，" if ahead else "前面没有人等候，"
            front_mn = ("" if ahead is None else f"{mongolian('您前面还有')} {ahead} {mongolian('人等候')}" if ahead
                        else mongolian("前面没有人等候"))
            late = self.checkin.last is not None and self.checkin.last.late and self.checkin.last.ticket.id == t.id
            lead = f"{self.checkin.last.message}。" if late and self.checkin.last else ""
            self._say(f"{lead}请取走号票　{t.code}　{front}请留意大厅叫号",
                      mn=" ".join(x for x in (mongolian('请取走号票'), t.code, front_mn, mongolian('请留意叫号')) if x))
            if elder:  # read aloud in 长辈模式 first; the next applicant starts in the normal mode
                self.elder_button.setChecked(False)
            self.cooldown.start()
            self.issued.emit(t)

        self.ctx.runner.submit(confirm, done, lambda exc: self._failed_before_print(exc))

    def _local_id(self, ticket: q.TicketView) -> str | None:
        """The request id of a ticket on its way that was drawn from this kiosk's block (None for others, e.g.
        an appointment's ticket); it leaves the in-flight list here."""
        rid = next((r for r, lt in self.local.items()
                    if lt.code == ticket.code and lt.service_date == ticket.service_date), None)
        if rid is not None:
            del self.local[rid]
        return rid

    def _void(self, ticket: q.TicketView, exc: BaseException) -> None:
        store, clock, journal = self.ctx.store, self.ctx.clock, self.journal
        reason = exc.message if isinstance(exc, CounterError) else f"打印出错：{exc}"
        rid = self._local_id(ticket)

        def void() -> q.TicketView:
            if rid is not None:
                journal.mark(rid, "void")  # never joins the queue
            if not ticket.id:
                return ticket
            try:
                return q.void_ticket(store, ticket.id, reason=reason[:200], clock=clock)
            except StoreError:
                return ticket  # the hall store keeps it as 出票中, never called; the kiosk's copy says void

        def done(_t: q.TicketView) -> None:
            text = f"号票打印失败：{reason}。号码 {ticket.code} 已作废，请联系工作人员"
            self._say(text, error=True, mn=mongolian("号票打印失败，请联系工作人员"))
            self.cooldown.start()
            self.failed.emit(text)

        self.ctx.runner.submit(void, done, self._failed_before_print)

    def _failed_before_print(self, exc: BaseException) -> None:
        text = exc.message if isinstance(exc, CounterError) else "取号失败，请联系工作人员"
        mn = mongolian("取号失败，请联系工作人员")
        if isinstance(exc, StoreError):  # the hall server is gone and no reserved number is left
            self._went_offline()
            text = "取号机暂时无法出号，请到服务台取号"
            mn = mongolian("取号失败，请联系工作人员")
        if isinstance(exc, PrintError):
            text = f"号票打印失败：{text}"
            mn = mongolian("号票打印失败，请联系工作人员")
        self._say(text, error=True, mn=mn)
        self.cooldown.start()
        self.failed.emit(text)

    def _show_error(self, exc: BaseException) -> None:
        self._say(exc.message if isinstance(exc, CounterError) else "取号机暂时无法使用，请联系工作人员", error=True,
                  mn=mongolian("取号失败，请联系工作人员"))

    # --- the hall server gone and back ----------------------------------------------------------------------

    def _went_offline(self) -> None:
        if self.offline_since is None:
            self.offline_since = self.ctx.clock.now()

    def sync_now(self) -> None:
        """Join the tickets printed from the local copy (in issue order) and top up the reserved numbers; the
        first answer of the server after an outage ends the offline mode. Runs every ``sync_ms``."""
        if self._syncing or not self.category_buttons:
            return
        self._syncing = True
        store, hall, clock, journal = self.ctx.store, self.ctx.hall_code, self.ctx.clock, self.journal
        qs, categories = self.ctx.settings.queue, list(self.category_buttons)
        offline = self.offline_since is not None

        def work() -> int:
            if offline:
                store.check()  # back only once the server answers, even with nothing to join or reserve
            joined = join_pending(store, journal, clock=clock)
            journal.top_up(store, hall_code=hall, categories=categories, day=clock.today(),
                           size=qs.offline_block, daily_reset=qs.daily_reset)
            return len(joined)

        def done(_joined: int) -> None:
            self._syncing = False
            self.offline_since = None

        def failed(exc: BaseException) -> None:
            self._syncing = False
            if isinstance(exc, StoreError):
                self._went_offline()

        self.ctx.runner.submit(work, done, failed)

    # --- pages, keypad, 长辈模式, help ------------------------------------------------------------------------

    def add_page(self, name: str, widget: QWidget) -> None:
        """A page in the middle of the screen (the hook for other kiosk flows); shown with :meth:`show_page`."""
        self._page_index[name] = self.pages.addWidget(widget)

    def show_page(self, name: str) -> None:
        self.pages.setCurrentIndex(self._page_index[name])
        self.hint.setText("请在下方键盘输入预约码或身份证号码" if name == "keypad" else "请点击要办理的业务类别")
        self.hint_mn.setText(mongolian(self.hint.text()))
        if self.elder_mode and name == "keypad":
            self.read_aloud(self.hint.text())

    def current_page(self) -> str:
        return next(n for n, i in self._page_index.items() if i == self.pages.currentIndex())

    def open_keypad(self) -> None:
        self.show_page("keypad")
        self.appointment_edit.setFocus()

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if watched is self.appointment_edit and event.type() == QEvent.Type.MouseButtonPress:
            self.open_keypad()
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def set_elder_mode(self, on: bool) -> None:
        """Larger type; 老年人优先 chosen and the 绿色通道 row hidden, so a single tap takes the number."""
        if self.elder_button.isChecked() != on:
            self.elder_button.setChecked(on)  # its toggled signal comes back here
            return
        self.elder_mode = on
        self.priority_buttons["elder"].setChecked(on)
        self.priority_row.setVisible(not on)
        self._apply_fonts()
        if on:
            self._say("长辈模式：已为您选择老年人优先，请点击要办理的业务",
                      mn=f"{mongolian('老年人优先')} {mongolian('请点击要办理的业务类别')}")

    def call_help(self) -> None:
        """呼叫工作人员: a help call the supervisor sees; a second tap while it is open is the same call."""
        store, hall, clock, host = self.ctx.store, self.ctx.hall_code, self.ctx.clock, self.ctx.host

        def done(_call: object) -> None:
            self._say("已呼叫工作人员，请在取号机旁稍候", mn=mongolian("已呼叫工作人员，请稍候"))
            self.help_called.emit()

        self.ctx.runner.submit(lambda: request_help(store, hall_code=hall, kiosk=host, clock=clock), done,
                               lambda exc: self._say("呼叫失败，请到服务台咨询", error=True,
                                                     mn=mongolian("呼叫失败，请到服务台咨询")))

    # --- screen ---------------------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in [*self.category_buttons.values(), self.checkin_button]:
            button.setEnabled(not busy)

    def _say(self, text: str, *, error: bool = False, mn: str = "") -> None:
        """The status line; ``mn`` its Mongolian (the fixed wording, with the ticket code and count in it)."""
        self.status.setText(text)
        self.status_mn.setText(mn)
        self.status_mn.setVisible(bool(mn) and "mn" in self.languages.order)
        if self.elder_mode and text:
            self.read_aloud(text)
        for label in (self.status, self.status_mn):
            if label.property("error") != error:
                label.setProperty("error", error)
                label.style().unpolish(label)
                label.style().polish(label)
        self.reset_timer.start()

    def read_aloud(self, text: str) -> bool:
        """Say a step's instruction (长辈模式), ticket codes letter by letter and digit by digit."""
        voice = self._voice()
        spoken = re.sub(r"\b([A-Z])(\d{3,})\b",
                        lambda m: f" {m[1]} " + "".join(CN_DIGITS[int(c)] for c in m[2]) + " 号", text)
        return voice.read_aloud(spoken.replace("　", "，"))

    def _voice(self) -> Announcer:
        if self.voice is None:  # the hall's 叫号方式 (voice / silent); a Chinese TTS voice if the PC has one
            qs = self.ctx.settings.queue
            self.voice = Announcer(mode=qs.voice, repeat=1, speaker=pick_speaker(parent=self), auto=False,
                                   parent=self)
        return self.voice

    def _reset_status(self) -> None:
        if not self.busy:
            self._say("")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.top.setDirection(QBoxLayout.Direction.TopToBottom if self.height() > self.width()
                              else QBoxLayout.Direction.LeftToRight)
        self._arrange_grid()
        self._apply_fonts()

    def _columns(self) -> int:
        count = len(self.category_buttons)
        if self.height() > self.width():  # portrait: two wide columns, the height has room for the rows
            return 1 if count <= 3 else 2
        return 2 if count <= 4 else 3 if count <= 9 else 4

    def _arrange_grid(self) -> None:
        cols = self._columns()
        if cols == self._cols or not self.category_buttons:
            return
        self._cols = cols
        regrid(self.grid, list(self.category_buttons.values()), cols)

    def unit(self) -> int:
        """The type unit: a 30th of the height, or a 45th of the width on a narrow (portrait) screen."""
        return max(10, min(self.height() // 30, self.width() // 45))

    def _apply_fonts(self) -> None:
        unit = self.unit()
        big = int(unit * 1.15) if self.elder_mode else unit  # 长辈模式: the text an applicant reads, larger

        def size(widget: QWidget, factor: float, bold: bool = False) -> None:
            font = QFont(widget.font())
            font.setPixelSize(int(unit * factor))
            font.setBold(bold)
            widget.setFont(font)

        size(self.title, 1.6, True)
        size(self.hint, 1.0)
        self.title_mn.set_pixel_size(int(unit * 1.0))
        self.hint_mn.set_pixel_size(int(unit * 0.7))
        self.status_mn.set_pixel_size(int(unit * 0.8))
        self.priority_mn.set_pixel_size(int(unit * 0.65))
        size(self.priority_label, 0.9, True)
        size(self.status, 1.1 * big / unit, True)
        size(self.appointment_edit, 0.9)
        size(self.checkin_button, 0.9, True)
        # The style sheet's min-height sets each button's minimum once it is polished; the room both scripts
        # need (minimumSizeHint) is set again here so the layout never squeezes a label off its button.
        for button in self.priority_buttons.values():
            size(button, 0.85, True)
            button.setMinimumWidth(int(unit * 9))
            button.setMinimumHeight(max(int(unit * 2), button.minimumSizeHint().height()))
        self.checkin_button.setMinimumWidth(int(unit * 11))
        self.checkin_button.setMinimumHeight(max(int(unit * 2), self.checkin_button.minimumSizeHint().height()))
        self.appointment_edit.setMinimumHeight(int(unit * 2))
        for button in (self.elder_button, self.help_button):
            size(button, 0.8, True)
            button.setMinimumWidth(int(unit * 7))
            button.setMinimumHeight(max(int(unit * 1.8), button.minimumSizeHint().height()))
        self.keypad.set_unit(big)
        for button in self.category_buttons.values():
            size(button, 1.2 * big / unit, True)
            button.setMinimumHeight(max(120, button.minimumSizeHint().height()))


def create(ctx: AppContext, args: argparse.Namespace) -> QWidget:
    """``python -m app kiosk``: full screen unless ``--windowed``."""
    kiosk = Kiosk(ctx)
    from ui.device_service import CardReaderService

    reader = CardReaderService.from_settings(ctx.settings, today=ctx.clock.today, parent=kiosk)
    if reader is not None:  # an ID card on the kiosk's reader checks its holder's appointment in
        kiosk.checkin.attach_reader(reader)
        reader.start()
    kiosk.resize(1024, 768)
    if not getattr(args, "windowed", False):
        kiosk.setWindowState(Qt.WindowState.WindowFullScreen)
    return kiosk


__all__ = ["Kiosk", "create", "ticket_printer_for"]
