"""A small status badge for the sync link: online/offline, items waiting, items needing attention, last success.

It takes plain values (:class:`SyncBadgeState`) and knows nothing of the store or the relay; its screen hands it
the current time on the wall clock it should show times in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("SyncBadge", text)


@dataclass(frozen=True)
class SyncBadgeState:
    online: bool | None = None  # None: not tried yet / no hub configured
    pending: int = 0
    rejected: int = 0
    parked: int = 0
    last_success: dt.datetime | None = None
    error: str = ""
    busy: bool = False
    problems: tuple[str, ...] = ()  # one line per rejected/parked item, e.g. "受理编号 …：原因"

    @property
    def attention(self) -> int:
        return self.rejected + self.parked


COLOURS = {"ok": "#2e7d32", "waiting": "#ef6c00", "offline": "#757575", "problem": "#c62828"}


def describe_time(when: dt.datetime, now: dt.datetime) -> str:
    """``when`` on the wall clock of ``now`` (aware, in the zone to show): ``HH:MM`` today, else with its date."""
    if now.tzinfo is None:
        raise ValueError("describe_time needs an aware now, in the zone the time is shown in")
    local = (when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)).astimezone(now.tzinfo)
    if local.date() == now.date():
        return local.strftime("%H:%M")
    return local.strftime("%m-%d %H:%M")


class SyncBadge(QFrame):
    """Shows the sync state in one line; the button asks for an immediate sync.

    ``now`` returns the current instant, aware, in the zone times are shown in (the hall's wall clock).

    Signals:
        sync_requested(): the clerk pressed 立即同步.
        details_requested(): the clerk clicked the text (e.g. to see rejected items).
        state_changed(object): the shown state really changed (a SyncBadgeState).
    """

    sync_requested = Signal()
    details_requested = Signal()
    state_changed = Signal(object)

    def __init__(self, *, now: Callable[[], dt.datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncBadge")
        self._now = now
        self._state = SyncBadgeState()
        self._dot = QLabel("●", self)
        self._dot.setObjectName("syncBadgeDot")
        self._text = QLabel(self)
        self._text.setObjectName("syncBadgeText")
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._text.setCursor(Qt.CursorShape.PointingHandCursor)
        self._text.mousePressEvent = lambda _e: self.details_requested.emit()  # type: ignore[method-assign]
        self._button = QPushButton(tr("立即同步"), self)
        self._button.setObjectName("syncNowButton")
        self._button.clicked.connect(self.sync_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(6)
        layout.addWidget(self._dot)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._button)
        self._render(self._now())

    def state(self) -> SyncBadgeState:
        return self._state

    def text(self) -> str:
        return self._text.text()

    def set_state(self, state: SyncBadgeState) -> None:
        if state == self._state:
            return
        self._state = state
        self._render(self._now())
        self.state_changed.emit(state)

    def _render(self, now: dt.datetime) -> None:
        s = self._state
        parts: list[str] = []
        if s.online is None:
            parts.append(tr("尚未同步"))
            tone = "offline"
        elif s.online:
            parts.append(tr("已联网"))
            tone = "ok"
        else:
            parts.append(tr("离线（办件暂存本机）"))
            tone = "offline"
        if s.pending:
            parts.append(tr("待发送 {n} 件").format(n=s.pending))
            if s.online:
                tone = "waiting"
        if s.attention:
            parts.append(tr("需处理 {n} 件").format(n=s.attention))
            tone = "problem"
        if s.last_success is not None:
            parts.append(tr("上次同步 {t}").format(t=describe_time(s.last_success, now)))
        if s.busy:
            parts.append(tr("同步中…"))
        self._text.setText(" · ".join(parts))
        self._dot.setStyleSheet(f"color: {COLOURS[tone]};")
        self._dot.setProperty("tone", tone)
        tips = []
        if s.error:
            tips.append(tr("最近错误：{e}").format(e=s.error))
        if s.rejected:
            tips.append(tr("被枢纽拒收 {n} 件，请核对后更正").format(n=s.rejected))
        if s.parked:
            tips.append(tr("多次重试未成功、已暂停 {n} 件，请联系管理员").format(n=s.parked))
        tips.extend(s.problems[:5])
        if len(s.problems) > 5:
            tips.append(tr("……另有 {n} 件").format(n=len(s.problems) - 5))
        self.setToolTip("\n".join(tips))
        self._button.setEnabled(not s.busy)

    def tone(self) -> str:
        return str(self._dot.property("tone"))
