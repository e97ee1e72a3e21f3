"""Running store, sync, print and device work off the GUI thread, with results delivered back on it.

Modelled on Anki's task manager: a one-thread pool for the store (so writes never interleave), separate pools
for slow I/O, and completion callbacks run on the GUI thread through a queued signal. ``InlineRunner`` runs
tasks synchronously, which keeps GUI tests deterministic.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

T = TypeVar("T")
log = logging.getLogger(__name__)

OnDone = Callable[[T], None]
OnError = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Runs callables on worker pools and calls back on the GUI thread.

    Signals:
        _deliver: internal; carries a completion closure to the GUI thread.
        busy_changed(bool): True while any store task is running (for a spinner / disabled buttons).
    """

    _deliver = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {
            "store": ThreadPoolExecutor(max_workers=1, thread_name_prefix="store"),
            "io": ThreadPoolExecutor(max_workers=2, thread_name_prefix="io"),
            "sync": ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync"),
        }
        self._running = 0
        self._closed = False
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    def submit(
        self,
        fn: Callable[[], T],
        on_done: OnDone[T] | None = None,
        on_error: OnError | None = None,
        *,
        pool: str = "store",
    ) -> Future[T]:
        """Run ``fn`` on ``pool``; ``on_done(result)`` or ``on_error(exc)`` then runs on the GUI thread.

        After ``shutdown()`` (the window is closing) a late timer's task is dropped, not an error."""
        if self._closed:
            dropped: Future[T] = Future()
            dropped.cancel()
            return dropped
        self._set_running(+1)
        future = self._pools[pool].submit(fn)
        future.add_done_callback(lambda fut: self._deliver.emit(lambda: self._finish(fut, on_done, on_error)))
        return future

    def _finish(self, fut: Future[Any], on_done: OnDone[Any] | None, on_error: OnError | None) -> None:
        self._set_running(-1)
        if fut.cancelled():  # the runner was shut down before this task ran
            return
        exc = fut.exception()
        if exc is None:
            if on_done is not None:
                on_done(fut.result())
            return
        report_error(exc, on_error)

    @Slot(object)
    def _on_deliver(self, closure: Callable[[], None]) -> None:
        closure()

    def _set_running(self, delta: int) -> None:
        before = self._running > 0
        self._running += delta
        if (self._running > 0) != before:
            self.busy_changed.emit(self._running > 0)

    def shutdown(self) -> None:
        self._closed = True
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)


class InlineRunner(TaskRunner):
    """Runs each task at once on the calling thread (tests, and scripts without an event loop)."""

    def submit(
        self,
        fn: Callable[[], T],
        on_done: OnDone[T] | None = None,
        on_error: OnError | None = None,
        *,
        pool: str = "store",
    ) -> Future[T]:
        future: Future[T] = Future()
        self._set_running(+1)
        try:
            future.set_result(fn())
        except BaseException as exc:
            future.set_exception(exc)
        self._finish(future, on_done, on_error)
        return future


def report_error(exc: BaseException, on_error: OnError | None) -> None:
    """Expected errors go to the caller's handler; anything else is a bug: logged with its traceback."""
    from app.errors import CounterError

    if not isinstance(exc, CounterError):
        log.error("unexpected error in background task:\n%s", "".join(traceback.format_exception(exc)))
    if on_error is not None:
        on_error(exc)
