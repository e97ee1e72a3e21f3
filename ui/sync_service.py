"""Runs the outbox relay in the background (TaskRunner pool "sync") on a QTimer and feeds the sync badge.

The relay and its HTTP session live on the sync thread only; the GUI thread just receives small frozen
:class:`SyncBadgeState` values. A pass never overlaps another: a request during a pass runs right after it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import SyncError
from app.settings import Settings
from app.store.engine import Store
from sync.hub_client import HubConfig
from sync.relay import Relay, RelayOptions, read_status
from ui.tasks import TaskRunner
from widgets.sync_badge import SyncBadgeState

RelayFactory = Callable[[], Relay]


class SyncService(QObject):
    """Periodic background sync.

    Signals:
        status_changed(object): a new SyncBadgeState after each pass (or when a pass starts: busy=True).
    """

    status_changed = Signal(object)

    def __init__(self, runner: TaskRunner, store: Store, settings: Settings, *,
                 relay_factory: RelayFactory | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = store
        self._settings = settings
        self._factory = relay_factory or self._default_relay
        self._relay: Relay | None = None  # touched only on the sync thread
        self._running = False
        self._again = False
        self._last = SyncBadgeState()
        self._timer = QTimer(self)
        self._timer.setObjectName("syncTimer")
        self._timer.setInterval(max(5, settings.sync.interval_seconds) * 1000)
        self._timer.timeout.connect(self.sync_now)

    def start(self) -> None:
        self._timer.start()
        self.sync_now()

    def stop(self) -> Future[None]:
        """Stop the timer and close the relay's HTTP session (on the sync thread, after any running pass)."""
        self._timer.stop()
        return self._runner.submit(self._close_relay, pool="sync")

    def _close_relay(self) -> None:
        if self._relay is not None:
            self._relay.close()
            self._relay = None

    def state(self) -> SyncBadgeState:
        return self._last

    def sync_now(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        self._emit(SyncBadgeState(**{**self._last.__dict__, "busy": True}))
        self._runner.submit(self._pass, self._finished, self._failed, pool="sync")

    # -- on the sync thread --------------------------------------------------------------------------------

    def _default_relay(self) -> Relay:
        sync = self._settings.sync
        if not sync.hub_url:
            raise SyncError("未设置枢纽地址（设置 → 同步），办件暂存本机")
        config = HubConfig(url=sync.hub_url, token=sync.token, ca_file=sync.ca_file,
                           connect_timeout=sync.connect_timeout, read_timeout=sync.read_timeout)
        options = RelayOptions(backoff_base=sync.backoff_base_seconds, backoff_cap=sync.backoff_cap_seconds,
                               chunk_target_seconds=sync.chunk_target_seconds)
        return Relay(self._store, config, files_dir=self._settings.files_dir, data_dir=self._settings.data_dir,
                     options=options)

    def _pass(self) -> SyncBadgeState:
        error = ""
        try:
            if self._relay is None:
                self._relay = self._factory()
            report = self._relay.run_once()
            error = report.error
        except SyncError as exc:
            error = exc.message
        status = read_status(self._store)
        return SyncBadgeState(online=status.online if not error or status.online is not None else None,
                              pending=status.pending, rejected=status.rejected, parked=status.parked,
                              last_success=status.last_success_at, error=error or status.last_error,
                              problems=tuple(f"{'拒收' if p.state == 'rejected' else '暂停'} {p.case_no or p.seq}："
                                             f"{p.error}" for p in status.problems))

    # -- back on the GUI thread ----------------------------------------------------------------------------

    def _finished(self, state: SyncBadgeState) -> None:
        self._running = False
        self._emit(state)
        if self._again:
            self._again = False
            self.sync_now()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        message = getattr(exc, "message", None) or "同步出错，详见日志"
        self._emit(SyncBadgeState(**{**self._last.__dict__, "busy": False, "error": message}))

    def _emit(self, state: SyncBadgeState) -> None:
        self._last = state
        self.status_changed.emit(state)
