"""The counter main window a clerk works in all day: 受理 (intake) and 查询 (lookup) tabs, the queue panel docked
at the top, the sync badge in the status bar, the idle lock, and printing after each acceptance.

Devices: the ID-card reader (``ui.device_service``) fills the applicant; a keyboard-wedge scanner's burst in the
ID or lookup field is recognised (``app.devices.scanner.recognise``) and sent where it belongs — an ID number to
the ID field, a 受理编号 to the lookup, a ticket QR to the queue panel.

The queue panel (``ui.queue_controller``) and the sync badge (``ui.sync_service``) belong to other engineers and
are imported lazily: if a module is missing the counter works without that part.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import auth
from app import queue as q
from app.case_no import CaseNo
from app.cases import AcceptResult, case_exists
from app.devices.gat467 import IdCard
from app.devices.scanner import Scanned, recognise
from app.errors import CounterError
from ui.context import AppContext
from ui.counter_intake import IntakePanel
from ui.counter_menu import CounterMenu
from ui.counter_print import (
    RenderedDoc,
    documents_dir,
    documents_for,
    render_case_documents,
    show_print_dialog,
)
from ui.device_service import MSG_READER_READY, CardReaderService
from ui.lock import IdleLock
from widgets.scan_wedge import ScanWedge
from widgets.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from ui.counter_lookup import LookupPanel

log = logging.getLogger(__name__)


QUEUE_DOCK_WIDTH = 250
LOOKUP_TAB = "查询 (Ctrl+2)"

class CounterWindow(QMainWindow):
    """Signals:
        logged_out(): the clerk logged out (the shell shows the login again).
        documents_ready(list): the PDFs rendered after an acceptance or a reprint (RenderedDoc list).
        print_failed(str): rendering failed (the case itself is saved).
    """

    logged_out = Signal()
    documents_ready = Signal(list)
    print_failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("counterWindow")
        clerk = ctx.clerk
        hall = ctx.settings.hall.name or ctx.hall_code
        self.setWindowTitle(f"综窗受理 · {hall} · {ctx.window_number or '-'} 号窗口")
        fit_to_screen(self, 1366, 740, maximize_when_small=True)

        self.intake = IntakePanel(ctx)
        # 查询 is built when first shown (or first needed by a scan or a card): the clerk starts at 受理.
        self._lookup: LookupPanel | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("counterTabs")
        self.tabs.addTab(self.intake, "受理 (Ctrl+1)")
        self.tabs.addTab(QWidget(), LOOKUP_TAB)
        self.tabs.currentChanged.connect(lambda index: self.lookup if index == 1 else None)

        self.who = QLabel(f"{clerk.name if clerk else ''}（{clerk.role_label if clerk else ''}）"
                          f" · {ctx.window_number or '-'} 号窗口 · {hall}")
        self.who.setObjectName("clerkLabel")
        self.lock_button = QPushButton("锁屏 (Ctrl+Shift+L)")
        self.lock_button.setObjectName("lockButton")
        self.logout_button = QPushButton("退出登录")
        self.logout_button.setObjectName("logoutButton")
        self.menu = CounterMenu(ctx, self, status=self.show_status)
        self.menu_button = self.menu.button
        # Who/where and the lock sit beside the tabs: every pixel of height goes to the checklist.
        corner = QWidget()
        corner.setObjectName("counterHeader")  # compact buttons, styled in app.qss: the tab bar sets its height
        header = QHBoxLayout(corner)
        header.setContentsMargins(4, 0, 0, 2)
        header.addWidget(self.who)
        header.addWidget(self.menu_button)
        header.addWidget(self.lock_button)
        header.addWidget(self.logout_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        central = QWidget()
        central.setObjectName("counterCentral")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 0)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.status_label = QLabel("")
        self.status_label.setObjectName("statusMessage")
        self.statusBar().addWidget(self.status_label, 1)
        self.last_case_label = QLabel("")
        self.last_case_label.setObjectName("lastCaseLabel")
        self.statusBar().addPermanentWidget(self.last_case_label)
        self.reader_label = QLabel("")
        self.reader_label.setObjectName("readerStatusLabel")
        self.statusBar().addPermanentWidget(self.reader_label)

        self._rated_tickets: set[int] = set()  # tickets whose applicant was already asked to rate a case
        self.queue_controller = self._attach_queue()
        self.sync_service = self._attach_sync()
        self.card_reader = self._attach_reader()
        self.id_wedge = ScanWedge(self.intake.applicant.id_edit)
        self.id_wedge.scanned.connect(lambda text: self.handle_scan(text, origin="applicant"))
        self.intake.code_seen.connect(lambda text: self.handle_scan(text, origin="applicant"))

        self._left = False
        self.print_dialog: QWidget | None = None
        self.idle_lock = IdleLock(ctx, self)
        self.idle_lock.logout_requested.connect(self.log_out)

        self.intake.status.connect(self.show_status)
        self.intake.case_accepted.connect(self._on_case_accepted)
        self.intake.bundle_accepted.connect(self._on_bundle_accepted)
        self.lock_button.clicked.connect(self.idle_lock.lock)
        self.logout_button.clicked.connect(self.log_out)
        self._shortcuts()
        self.intake.applicant.id_edit.setFocus()
        # The hall day's sweep (容缺 lapses flagged, §32 reviews past five days accepted): now, and when the day turns.
        self._swept_day: dt.date | None = None
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(60_000)
        self.day_timer.timeout.connect(self.sweep_day)
        self.day_timer.start()
        self.sweep_day()

    def sweep_day(self) -> None:
        """Once per hall day: flag 容缺 supplies past their date and accept, as of receipt, the cases taken in for
        review whose five working days passed with no notice (行政许可法 §32)."""
        from app.cases.review import sweep_day
        from app.workdays import default_calendar
        from ui.counter_intake import policy_from

        ctx = self.ctx
        today = ctx.clock.today()
        if today == self._swept_day:
            return
        self._swept_day = today
        calendar, policy = default_calendar(ctx.settings.data_dir), policy_from(ctx)
        ctx.runner.submit(lambda: sweep_day(ctx.store, clock=ctx.clock, calendar=calendar, policy=policy),
                          self._on_swept, self._on_sweep_error)

    def _on_swept(self, swept: dict[str, list[str]]) -> None:
        parts = []
        if swept["deemed"]:
            parts.append(f"{len(swept['deemed'])} 件收件审查逾期未告知补正，已依法视为受理")
        if swept["flagged"]:
            parts.append(f"{len(swept['flagged'])} 件容缺材料逾期未补交")
        if parts:
            self.show_status("今日待办：" + "；".join(parts) + "（见大厅负责人待办）")

    def _on_sweep_error(self, exc: BaseException) -> None:
        self.show_status("今日办件检查未完成：" + (exc.message if isinstance(exc, CounterError) else "出现意外错误")
                         + "；明天开机时将再检查")

    @property
    def lookup(self) -> LookupPanel:
        """The 查询 tab's panel, built and wired on first use."""
        if self._lookup is None:
            from ui.counter_lookup import LookupPanel

            panel = LookupPanel(self.ctx)
            self._lookup = panel
            current = self.tabs.currentIndex()
            self.tabs.blockSignals(True)
            placeholder = self.tabs.widget(1)
            self.tabs.removeTab(1)
            self.tabs.insertTab(1, panel, LOOKUP_TAB)
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            if placeholder is not None:
                placeholder.deleteLater()
            self.lookup_wedge = ScanWedge(panel.edit)
            self.lookup_wedge.scanned.connect(lambda text: self.handle_scan(text, origin="lookup"))
            panel.action_done.connect(self.show_status)
            panel.reprint_requested.connect(lambda no, docs: self.print_documents(no, docs, reprint=True))
            panel.print_requested.connect(lambda no, docs: self.print_documents(no, docs))
            panel.case_corrected.connect(self._on_case_corrected)
        return self._lookup

    def _attach_queue(self) -> Any:
        """Dock the queue engineer's calling panel (``QueueController(ctx).panel``) at the left, if installed.

        The panel is laid out vertically, so a narrow side dock costs the 768-pixel-high screen nothing."""
        try:
            from ui.queue_controller import QueueController
        except ImportError as exc:
            if exc.name != "ui.queue_controller":
                log.exception("ui.queue_controller failed to import")
            return None
        controller = QueueController(self.ctx, parent=self)
        dock = QDockWidget("叫号", self)
        dock.setObjectName("queueDock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        dock.setWidget(controller.panel)
        dock.setMaximumWidth(QUEUE_DOCK_WIDTH)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        # The ticket being served is linked to the case accepted for it.
        controller.ticket_changed.connect(lambda t: self.set_current_ticket(t.id if t is not None else None))
        controller.ticket_finished.connect(self._on_ticket_finished)
        return controller

    def _attach_sync(self) -> Any:
        """The sync engineer's badge in the status bar and their background relay, if installed."""
        try:
            from ui.sync_service import SyncService
            from widgets.sync_badge import SyncBadge
        except ImportError as exc:
            if exc.name not in ("ui.sync_service", "widgets.sync_badge"):
                log.exception("sync service failed to import")
            return None
        service = SyncService(self.ctx.runner, self.ctx.store, self.ctx.settings, parent=self)
        badge = SyncBadge(now=self.ctx.clock.local_now)
        badge.set_state(service.state())
        service.status_changed.connect(badge.set_state)
        badge.sync_requested.connect(service.sync_now)
        self.statusBar().addPermanentWidget(badge)
        self.sync_badge = badge
        service.start()
        return service

    def _attach_reader(self) -> CardReaderService | None:
        """The ID-card reader on ``counter.reader_port``; None (and a quiet hint) when this PC has none."""
        service = CardReaderService.from_settings(self.ctx.settings, today=self.ctx.clock.today, parent=self)
        if service is None:
            self.reader_label.setText("读卡器：未配置")
            return None
        # The poller emits from its own thread: queued, so the slots run on the GUI thread.
        queued = Qt.ConnectionType.QueuedConnection
        service.card_read.connect(self.on_card, queued)
        service.reader_error.connect(self._on_reader_error, queued)
        service.reader_ok.connect(self._on_reader_ok, queued)
        self.reader_label.setText("读卡器：就绪")
        self.reader_label.setToolTip(f"端口 {service.port}")
        self.show_status(MSG_READER_READY)
        service.start()
        return service

    def _on_reader_error(self, message: str) -> None:
        self.reader_label.setText("读卡器：故障")
        self.show_status(f"{message}（可以扫码或手工录入，其他功能不受影响）")

    def _on_reader_ok(self, message: str) -> None:
        self.reader_label.setText("读卡器：就绪")
        self.show_status(message)

    def on_card(self, card: IdCard) -> None:
        """A card was placed on the reader."""
        if self.idle_lock.is_locked:
            return  # nobody is at the screen: an applicant's card must not land on a covered form
        self.reader_label.setText("读卡器：就绪")
        if self.tabs.currentIndex() == 1 and self.lookup.case_actions.hand_over_box.isVisible():
            self.lookup.case_actions.collector_id_edit.setText(card.id_number)  # 出件: the collector's own card
            self.show_status(f"已读取领取人 {card.name} 的证件")
            return
        self.tabs.setCurrentIndex(0)
        outcome = self.intake.applicant.offer_card(card)
        if outcome == "filled":
            self.show_status(f"已读卡：{card.name}，请核对并补充联系电话")
        elif outcome == "asked":
            self.show_status(f"读到新证件 {card.name}：请选择替换或忽略")
        else:
            self.show_status(self.intake.applicant.card_bar_text.text())

    # --- scanner bursts -------------------------------------------------------------------------------

    def handle_scan(self, text: str, *, origin: str) -> None:
        """Send a scanned code where it belongs; ``origin`` is the field it was scanned into.

        Recognising runs on the store thread: 18 digits are first looked up among the hall's case numbers (an
        old-form 受理编号 from a receipt wins over an ID-number guess). If the store fails, the scan is
        recognised without it.
        """
        ctx = self.ctx
        today = ctx.clock.today()

        def is_case_no(digits: str) -> bool:
            with ctx.store.read() as session:
                return case_exists(session, digits)

        ctx.runner.submit(lambda: recognise(text, today=today, is_case_no=is_case_no),
                          lambda scan: self.route_scan(scan, origin=origin),
                          lambda _exc: self.route_scan(recognise(text, today=today), origin=origin))

    def route_scan(self, scan: Scanned, *, origin: str) -> None:
        """A recognised scan: a case number opens the case from either field, a ticket goes to the queue."""
        if scan.kind == "case_no" and scan.ok and scan.case_no is not None:
            self._open_scanned_case(scan.case_no)
        elif scan.kind == "ticket":
            self._scan_ticket(scan)
        elif origin == "lookup":
            self._scan_into_lookup(scan)
        else:
            self._scan_into_applicant(scan)

    def _open_scanned_case(self, case_no: CaseNo) -> None:
        self._focus_lookup()
        self.lookup.open_case(case_no.text)
        self.show_status(f"扫码查询办件 {case_no.spoken}（{case_no.form_label}）")

    def _scan_into_applicant(self, scan: Scanned) -> None:
        applicant = self.intake.applicant
        number = scan.id_number if scan.kind == "e_license" else scan.value
        if not scan.ok or not number or scan.kind not in ("id_number", "e_license"):
            message = scan.message or "无法识别的条码内容"
            applicant.error.setText(message)
            self.show_status(message)
            return
        self.tabs.setCurrentIndex(0)
        applicant.fill_scanned_id(number)
        what = "电子证照持证人证件号码" if scan.kind == "e_license" else "证件号码"
        self.show_status(f"已扫描{what}，请核对姓名")

    def _scan_into_lookup(self, scan: Scanned) -> None:
        lookup = self.lookup
        if not scan.ok:
            lookup.error.setText(scan.message)
            self.show_status(scan.message)
            return
        if scan.kind == "e_license" and not scan.id_number:
            lookup.error.setText(scan.message)
            return
        # An ID number (an e-licence's holder's) lists that person's cases.
        text = scan.id_number if scan.kind == "e_license" else scan.value or scan.raw.strip()
        lookup.edit.setText(text)
        lookup.run_lookup()

    def _scan_ticket(self, scan: Scanned) -> None:
        controller, ctx = self.queue_controller, self.ctx
        ticket = scan.ticket
        if not scan.ok or ticket is None:
            return self._ticket_message(scan.message or "号票二维码无法识别")
        if controller is None or ctx.window_number is None:
            return self._ticket_message(f"扫到号票 {ticket.code}，但本机未接入叫号")
        if ticket.hall_code != ctx.hall_code:
            return self._ticket_message(f"号票 {ticket.code} 不是本大厅的号")
        if ticket.service_date != ctx.clock.today():
            return self._ticket_message(f"号票 {ticket.code} 是 {ticket.service_date:%Y-%m-%d} 的号，已失效，请重新取号")
        current = controller.current
        if current is not None and current.code == ticket.code:
            return self._ticket_message(f"号票 {ticket.code} 正在本窗口办理", error=False)
        if current is not None:
            return self._ticket_message(f"本窗口正在办理 {current.code}，请先办结或过号，再叫 {ticket.code}")
        store, hall, window = ctx.store, ctx.hall_code, ctx.window_number
        clerk = ctx.clerk.id if ctx.clerk is not None else None
        rid = f"w{window}-scan-{ticket.ticket_id}"

        def done(view: q.TicketView) -> None:
            controller.refresh()
            self._ticket_message(f"已叫号 {view.code}（扫码）", error=False)

        clock = ctx.clock
        ctx.runner.submit(lambda: q.call_ticket(store, hall_code=hall, window_number=window, code=ticket.code,
                                                request_id=rid, clerk_id=clerk, clock=clock), done,
                          lambda exc: self._ticket_message(exc.message if isinstance(exc, CounterError)
                                                           else "扫码叫号失败，请用叫号按钮"))

    def _ticket_message(self, message: str, *, error: bool = True) -> None:
        if self.queue_controller is not None:
            self.queue_controller.panel.set_message(message, error=error)
        self.show_status(message)

    def _shortcuts(self) -> None:
        # Shortcuts act only when the screen is not locked (the cover also disables the widgets below it).
        def guarded(fn: Any) -> Any:
            return lambda: None if self.idle_lock.is_locked else fn()

        bindings = {
            "Ctrl+Return": lambda: self.intake.submit(refuse=False),
            "Ctrl+Enter": lambda: self.intake.submit(refuse=False),
            "Ctrl+R": lambda: self.intake.submit(refuse=True),
            "Ctrl+N": self.intake.clear,
            "Ctrl+F": self._focus_search,
            "Ctrl+I": self._focus_id,
            "Ctrl+Shift+A": self.intake.checklist.mark_all_received,
            "Ctrl+1": lambda: self.tabs.setCurrentIndex(0),
            "Ctrl+2": self._focus_lookup,
            "Ctrl+Shift+L": self.idle_lock.lock,
            "Ctrl+,": self.menu.open_settings,
        }
        self._shortcut_objects = []
        for keys, fn in bindings.items():
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(guarded(fn))
            self._shortcut_objects.append(shortcut)

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.intake.focus_search()

    def _focus_id(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.intake.applicant.id_edit.setFocus()

    def _focus_lookup(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.lookup.edit.setFocus()
        self.lookup.edit.selectAll()

    # --- status and tickets ---------------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def set_current_ticket(self, ticket_id: int | None) -> None:
        """The queue controller tells us which ticket is being served; the next case is linked to it."""
        self.intake.ticket_id = ticket_id

    # --- after accepting ------------------------------------------------------------------------------

    def _ask_for_rating(self, *, case_no: str | None = None, ticket_id: int | None = None) -> None:
        """一次一评: the applicant-facing rating screen of this window asks; the clerk never sees the answer."""
        from ui.rating_request import ask_for_rating

        if self.ctx.window_number is None:
            return
        ask_for_rating(self.ctx, case_no=case_no, ticket_id=ticket_id,
                       on_error=lambda exc: self.show_status(
                           exc.message if isinstance(exc, CounterError) else "评价请求未能发出"))

    def _on_ticket_finished(self, ticket: Any) -> None:
        """A served ticket that led to no case is rated as a ticket; one that led to cases was rated per case."""
        if ticket.id not in self._rated_tickets:
            self._ask_for_rating(ticket_id=ticket.id)
        self._rated_tickets.discard(ticket.id)

    def _on_case_accepted(self, result: AcceptResult) -> None:
        summary = result.summary
        # 收件后审查: nothing to hand over yet — the notice (or the acceptance papers) follow the review.
        reviewing = result.decision.outcome == "supplement" and not result.decision.notice
        if not result.replayed:
            self._ask_for_rating(case_no=summary.case_no)
            if self.intake.ticket_id is not None:
                self._rated_tickets.add(self.intake.ticket_id)
        self.last_case_label.setText(f"上一件：{summary.case_no} {summary.decision_label}")
        if self.sync_service is not None:
            self.sync_service.sync_now()  # send it to the hub now rather than at the next tick
        if self.ctx.settings.counter.auto_print and not reviewing:
            self.print_documents(summary.case_no, documents_for(summary.decision))

    def _on_bundle_accepted(self, result: object) -> None:
        """一件事一次办: one receipt for the whole intake, then each case's own papers (ui.counter_bundle)."""
        from app.cases.bundle import BundleResult
        from ui.counter_bundle import render_bundle_documents

        assert isinstance(result, BundleResult)
        first = result.cases[0].summary.case_no
        if not result.replayed:
            self._ask_for_rating(case_no=first)
            if self.intake.ticket_id is not None:
                self._rated_tickets.add(self.intake.ticket_id)
        self.last_case_label.setText(f"上一件：{result.name}（{len(result.cases)} 件，{first} 等）")
        if self.sync_service is not None:
            self.sync_service.sync_now()
        if self.ctx.settings.counter.auto_print:
            ctx = self.ctx
            out_dir = documents_dir(ctx.settings.data_dir)
            self.show_status(f"正在生成“{result.name}”的回执…")
            ctx.runner.submit(lambda: render_bundle_documents(ctx.store, result, out_dir=out_dir, clock=ctx.clock,
                                                              settings=ctx.settings),
                              self._on_documents, self._on_print_error, pool="io")

    def _on_case_corrected(self, result: AcceptResult) -> None:
        """补正 at the lookup: the same case, now accepted (or still short); its papers print as after 受理."""
        summary = result.summary
        self.last_case_label.setText(f"上一件：{summary.case_no} {summary.decision_label}")
        if self.sync_service is not None:
            self.sync_service.sync_now()
        if self.ctx.settings.counter.auto_print:
            self.print_documents(summary.case_no, documents_for(summary.decision))

    def print_documents(self, case_no: str, docs: Sequence[str], *, reprint: bool = False) -> None:
        """Render the documents off the GUI thread, keep a PDF copy, then open the print preview."""
        ctx = self.ctx
        out_dir = documents_dir(ctx.settings.data_dir)
        paper = None  # each document's own default paper (A4, pickup/mailing slips A5)
        self.show_status(f"正在生成 {case_no} 的文书…")
        ctx.runner.submit(lambda: render_case_documents(ctx.store, case_no, tuple(docs), out_dir=out_dir,
                                                        clock=ctx.clock, paper=paper, reprint=reprint,
                                                        settings=ctx.settings),
                          self._on_documents, self._on_print_error, pool="io")

    def _on_documents(self, docs: list[RenderedDoc]) -> None:
        self.documents_ready.emit(docs)
        titles = "、".join(d.title for d in docs)
        self.show_status(f"文书已生成：{titles}")
        self.print_dialog = show_print_dialog(self, docs, ctx=self.ctx, fallback=self.show_status)

    def _on_print_error(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, CounterError) else "文书生成失败；办件已保存，可在查询中补打"
        self.show_status(message)
        self.print_failed.emit(message)

    # --- leaving ---------------------------------------------------------------------------------------

    def _leave_window(self) -> None:
        """Free the window seat once, whether the clerk logged out or closed the program."""
        clerk, ctx = self.ctx.clerk, self.ctx
        self.idle_lock.stop()
        if self.queue_controller is not None:
            self.queue_controller.stop()
        if self.card_reader is not None:
            self.card_reader.stop()
        if self.intake.camera_dialog is not None:
            self.intake.camera_dialog.close()
        self.menu.close_all()  # the next clerk must not find the last one's settings or counts
        if clerk is None or self._left:
            return
        self._left = True
        if self.sync_service is not None:
            self.sync_service.stop()
        ctx.runner.submit(lambda: auth.leave_window(ctx.store, clerk=clerk, host=ctx.host, clock=ctx.clock), None, lambda _e: None)

    def log_out(self) -> None:
        self._leave_window()
        self.logged_out.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._leave_window()
        super().closeEvent(event)
