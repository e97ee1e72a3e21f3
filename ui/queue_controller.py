"""Wires the counter's calling panel to ``app.queue``: every action runs on the store thread via ``ctx.runner``.

The counter window embeds ``QueueController(ctx).panel``. A call whose outcome is unknown (the store was
unreachable) keeps its request id, so pressing F1 again retries the same claim instead of taking a second ticket.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from app import queue as q
from app.errors import CounterError, QueueEmpty, StoreError
from ui.context import AppContext
from widgets.queue_panel import QueuePanel


class QueueController(QObject):
    """Signals:
        ticket_changed(object): the window's current TicketView, or None when it holds none.
        error(str): a clerk-facing message (also shown on the panel).
        ticket_finished(object): the TicketView just finished (办结), e.g. to ask for a rating.
    """

    ticket_changed = Signal(object)
    ticket_finished = Signal(object)
    error = Signal(str)

    def __init__(self, ctx: AppContext, panel: QueuePanel | None = None, *, refresh_ms: int = 5000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.panel = panel or QueuePanel()
        self.current: q.TicketView | None = None
        self._call_rid: str | None = None
        self.pick_dialog: Any = None  # the open 指定叫号 dialog (ui.queue_pick), if any
        p = self.panel
        p.call_next_requested.connect(self.call_next)
        p.recall_requested.connect(self.recall)
        p.skip_requested.connect(self.skip)
        p.transfer_requested.connect(self.transfer)
        p.pause_requested.connect(self.pause)
        p.resume_requested.connect(self.resume)
        p.start_requested.connect(self.start)
        p.finish_requested.connect(self.finish)
        p.pick_requested.connect(self.open_pick)
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh)
        if ctx.window_number is None:
            p.set_message("本机未选择窗口，不能叫号", error=True)
            p.setEnabled(False)
        else:
            self.refresh()
            self.timer.start()

    @property
    def window(self) -> int:
        assert self.ctx.window_number is not None
        return self.ctx.window_number

    @property
    def hall(self) -> str:
        return self.ctx.hall_code

    # --- reading ---------------------------------------------------------------------------------------------

    def stop(self) -> None:
        """The clerk left the window (logout or close): no more polling for it."""
        self.timer.stop()

    def refresh(self) -> None:
        if not isValid(self.panel):  # the counter window that held the panel is gone
            self.timer.stop()
            return
        store, hall, window, clock = self.ctx.store, self.hall, self.window, self.ctx.clock

        def load() -> tuple[q.WindowState, int, list[tuple[str, str]]]:
            with store.read() as s:
                state = q.window_state(s, hall_code=hall, window_number=window, clock=clock)
                waiting = q.waiting_for_window(s, hall_code=hall, window_number=window, clock=clock)
                targets = [(f"w:{n}", f"{n} 号窗口 {name}") for n, name in
                           q.other_windows(s, hall_code=hall, window_number=window)]
                targets += [(f"c:{k}", v if v.startswith(k) else f"{k} {v}")
                            for k, v in q.hall_categories(s, hall_code=hall).items()]
                return state, waiting, targets

        self.ctx.runner.submit(load, self._show_state, self._on_error)

    def _show_state(self, result: tuple[q.WindowState, int, list[tuple[str, str]]]) -> None:
        if not isValid(self.panel):
            return
        state, waiting, targets = result
        if self.panel.transfer_combo.count() != len(targets):
            self.panel.set_transfer_targets(targets)
        self.panel.set_waiting(waiting)
        self._set_current(state.current)
        self.panel.set_paused(state.paused, state.pause_reason)

    def _set_current(self, ticket: q.TicketView | None) -> None:
        changed = ticket != self.current
        self.current = ticket
        if ticket is None:
            self.panel.set_current(None)
        else:
            extra = [ticket.priority_label + "优先" if ticket.priority else "", ticket.masked_name,
                     f"重呼 {ticket.recall_count} 次" if ticket.recall_count else ""]
            self.panel.set_current(ticket.code, ticket.state, "　".join(x for x in extra if x))
        if changed:
            self.ticket_changed.emit(ticket)

    # --- actions ---------------------------------------------------------------------------------------------

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], *, keep_rid_on_store_error: bool = False,
             ) -> None:
        self.panel.set_busy(True)
        self.panel.set_message("")

        def ok(result: Any) -> None:
            self.panel.set_busy(False)
            done(result)
            self.refresh()

        def bad(exc: BaseException) -> None:
            self.panel.set_busy(False)
            if not (keep_rid_on_store_error and isinstance(exc, StoreError)):
                self._call_rid = None
            self._on_error(exc)
            self.refresh()

        self.ctx.runner.submit(work, ok, bad)

    def _on_error(self, exc: BaseException) -> None:
        if isinstance(exc, QueueEmpty):
            text = exc.message
            self.panel.set_message(text)
        else:
            text = exc.message if isinstance(exc, CounterError) else f"出现意外错误：{exc}"
            self.panel.set_message(text, error=True)
        self.error.emit(text)

    def call_next(self) -> None:
        # The same id until the claim is known to have succeeded or failed for certain.
        self._call_rid = self._call_rid or f"w{self.window}-{uuid.uuid4()}"
        rid, store, hall, window, clock = self._call_rid, self.ctx.store, self.hall, self.window, self.ctx.clock
        every = self.ctx.settings.queue.priority_every
        clerk = self.ctx.clerk.id if self.ctx.clerk is not None else None

        def done(t: q.TicketView) -> None:
            self._call_rid = None
            self._set_current(t)
            self.panel.set_message(f"已叫 {t.code}，请等候申请人到窗口")

        self._run(lambda: q.call_next(store, hall_code=hall, window_number=window, clock=clock, request_id=rid,
                                      clerk_id=clerk, priority_every=every), done, keep_rid_on_store_error=True)

    def open_pick(self) -> None:
        """F8: the waiting list in calling order; the clerk picks one and gives the reason."""
        from ui.queue_pick import PickTicketDialog

        store, hall, window, clock = self.ctx.store, self.hall, self.window, self.ctx.clock
        every = self.ctx.settings.queue.priority_every

        def load() -> list[q.TicketView]:
            with store.read() as s:
                return q.waiting_list(s, hall_code=hall, window_number=window, priority_every=every, clock=clock)

        def show(tickets: list[q.TicketView]) -> None:
            if not isValid(self.panel):
                return
            self.pick_dialog = PickTicketDialog(tickets, self.panel)
            self.pick_dialog.accepted.connect(lambda: self.call_chosen(*self.pick_dialog.chosen()))
            self.pick_dialog.open()

        self.ctx.runner.submit(load, show, self._on_error)

    def call_chosen(self, code: str, reason: str) -> None:
        """Call ``code`` out of turn; the reason is kept on the call event (refused without one when it passes
        over waiting tickets)."""
        if not code:
            self.panel.set_message("请先选中要叫的号", error=True)
            return
        rid, store, hall, window, clock = f"w{self.window}-{uuid.uuid4()}", self.ctx.store, self.hall, \
            self.window, self.ctx.clock
        every = self.ctx.settings.queue.priority_every
        clerk = self.ctx.clerk.id if self.ctx.clerk is not None else None

        def done(t: q.TicketView) -> None:
            self._set_current(t)
            self.panel.set_message(f"已指定叫 {t.code}" + (f"（{reason}）" if reason else ""))

        self._run(lambda: q.call_ticket(store, hall_code=hall, window_number=window, code=code, request_id=rid,
                                        clerk_id=clerk, reason=reason, priority_every=every, clock=clock), done)

    def recall(self) -> None:
        store, hall, window, clock = self.ctx.store, self.hall, self.window, self.ctx.clock
        cap = self.ctx.settings.queue.recall_max

        def done(t: q.TicketView) -> None:
            self._set_current(t)
            self.panel.set_message(f"已重呼 {t.code}（第 {t.recall_count} 次）")

        self._run(lambda: q.recall(store, hall_code=hall, window_number=window, max_recalls=cap, clock=clock), done)

    def skip(self) -> None:
        store, hall, window, clock = self.ctx.store, self.hall, self.window, self.ctx.clock
        qs = self.ctx.settings.queue
        behind, to, times = qs.skip_requeue_behind, qs.skip_to, qs.skip_requeue_times

        def done(t: q.TicketView) -> None:
            self._set_current(None)
            self.panel.set_message(f"{t.code} 过号，已排回队列" if t.state == "waiting"
                                   else f"{t.code} 过号，已作过号处理")

        self._run(lambda: q.skip(store, hall_code=hall, window_number=window, requeue_behind=behind, to=to,
                                 requeue_times=times, clock=clock), done)

    def transfer(self, key: str) -> None:
        store, hall, window, clock = self.ctx.store, self.hall, self.window, self.ctx.clock
        kind, _, value = key.partition(":")
        to_window = int(value) if kind == "w" else None
        to_category = value if kind == "c" else None

        def done(t: q.TicketView) -> None:
            self._set_current(None)
            where = f"{t.window_number} 号窗口" if t.window_number else f"{t.category} 类业务"
            self.panel.set_message(f"{t.code} 已转至 {where}")

        self._run(lambda: q.transfer(store, hall_code=hall, window_number=window, clock=clock, to_window=to_window,
                                     to_category=to_category), done)

    def pause(self, reason: str) -> None:
        store, hall, window, actor, clock = self.ctx.store, self.hall, self.window, self.ctx.actor, self.ctx.clock
        self._run(lambda: q.pause_window(store, hall_code=hall, window_number=window, reason=reason, actor=actor,
                                         clock=clock),
                  lambda w: self.panel.set_paused(True, w.pause_reason))

    def resume(self) -> None:
        store, hall, window, actor, clock = self.ctx.store, self.hall, self.window, self.ctx.actor, self.ctx.clock
        self._run(lambda: q.resume_window(store, hall_code=hall, window_number=window, clock=clock, actor=actor),
                  lambda _w: self.panel.set_paused(False))

    def start(self) -> None:
        store, hall, window, clock = self.ctx.store, self.hall, self.window, self.ctx.clock
        self._run(lambda: q.start_service(store, hall_code=hall, window_number=window, clock=clock), self._set_current)

    def finish(self) -> None:
        store, hall, window, clock = self.ctx.store, self.hall, self.window, self.ctx.clock

        def done(t: q.TicketView) -> None:
            self._set_current(None)
            self.panel.set_message(f"{t.code} 已办结")
            self.ticket_finished.emit(t)

        self._run(lambda: q.finish(store, hall_code=hall, window_number=window, clock=clock), done)
