"""The counter main window a clerk works in all day: 受理 (intake) and 查询 (lookup) tabs, the queue panel docked
at the top, the sync badge in the status bar, the idle lock, and printing after each acceptance.

The queue panel (``ui.queue_controller``) and the sync badge (``ui.sync_service``) belong to other engineers and
are imported lazily: if a module is missing the counter works without that part.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
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
from app.cases import AcceptResult
from app.errors import CounterError
from ui.context import AppContext
from ui.counter_intake import IntakePanel
from ui.counter_lookup import LookupPanel
from ui.counter_print import (
    RenderedDoc,
    documents_dir,
    documents_for,
    render_case_documents,
    show_print_dialog,
)
from ui.lock import IdleLock

log = logging.getLogger(__name__)
QUEUE_DOCK_WIDTH = 250

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
        self.resize(1366, 740)

        self.intake = IntakePanel(ctx)
        self.lookup = LookupPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("counterTabs")
        self.tabs.addTab(self.intake, "受理 (Ctrl+1)")
        self.tabs.addTab(self.lookup, "查询 (Ctrl+2)")

        self.who = QLabel(f"{clerk.name if clerk else ''}（{clerk.role_label if clerk else ''}）"
                          f" · {ctx.window_number or '-'} 号窗口 · {hall}")
        self.who.setObjectName("clerkLabel")
        self.lock_button = QPushButton("锁屏 (Ctrl+Shift+L)")
        self.lock_button.setObjectName("lockButton")
        self.logout_button = QPushButton("退出登录")
        self.logout_button.setObjectName("logoutButton")
        # Who/where and the lock sit beside the tabs: every pixel of height goes to the checklist.
        corner = QWidget()
        header = QHBoxLayout(corner)
        header.setContentsMargins(4, 0, 0, 2)
        header.addWidget(self.who)
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

        self.queue_controller = self._attach_queue()
        self.sync_service = self._attach_sync()

        self._left = False
        self.print_dialog: QWidget | None = None
        self.idle_lock = IdleLock(ctx, self)
        self.idle_lock.logout_requested.connect(self.log_out)

        self.intake.status.connect(self.show_status)
        self.intake.case_accepted.connect(self._on_case_accepted)
        self.lookup.action_done.connect(self.show_status)
        self.lookup.reprint_requested.connect(lambda no, docs: self.print_documents(no, docs, reprint=True))
        self.lock_button.clicked.connect(self.idle_lock.lock)
        self.logout_button.clicked.connect(self.log_out)
        self._shortcuts()
        self.intake.applicant.id_edit.setFocus()

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
        badge = SyncBadge()
        badge.set_state(service.state())
        service.status_changed.connect(badge.set_state)
        badge.sync_requested.connect(service.sync_now)
        self.statusBar().addPermanentWidget(badge)
        self.sync_badge = badge
        service.start()
        return service

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

    def _on_case_accepted(self, result: AcceptResult) -> None:
        summary = result.summary
        self.last_case_label.setText(f"上一件：{summary.case_no} {summary.decision_label}")
        if self.sync_service is not None:
            self.sync_service.sync_now()  # send it to the hub now rather than at the next tick
        if self.ctx.settings.counter.auto_print:
            self.print_documents(summary.case_no, documents_for(summary.decision))

    def print_documents(self, case_no: str, docs: Sequence[str], *, reprint: bool = False) -> None:
        """Render the documents off the GUI thread, keep a PDF copy, then open the print preview."""
        ctx = self.ctx
        out_dir = documents_dir(ctx.settings.data_dir)
        paper = None  # each document's own default paper (A4, pickup/mailing slips A5)
        self.show_status(f"正在生成 {case_no} 的文书…")
        ctx.runner.submit(lambda: render_case_documents(ctx.store, case_no, tuple(docs), out_dir=out_dir,
                                                        paper=paper, reprint=reprint),
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
        if clerk is None or self._left:
            return
        self._left = True
        if self.sync_service is not None:
            self.sync_service.stop()
        ctx.runner.submit(lambda: auth.leave_window(ctx.store, clerk=clerk, host=ctx.host), None, lambda _e: None)

    def log_out(self) -> None:
        self._leave_window()
        self.logged_out.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._leave_window()
        super().closeEvent(event)
