"""An event filter that tells a keyboard-wedge scanner's burst from typing in a QLineEdit.

Keys reach the line edit as usual; when Enter ends a burst (≥ 6 keys at a scanner's pace) the filter puts the
edit's text back as it was before the burst, swallows the Enter and emits ``scanned`` instead, so the caller
decides where the code belongs (and a bad ID number is never left sitting in the field). Typed text and its
Enter pass through untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from app.devices.scanner import MAX_KEY_GAP_MS, MIN_BURST_CHARS, BurstDetector

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_EDIT_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)


class ScanWedge(QObject):
    """Watches one QLineEdit for scanner bursts.

    Args:
        edit: the line edit to watch (the filter becomes its child).
        min_chars / max_gap_ms: what counts as a burst (see ``app.devices.scanner.BurstDetector``).
        clock: milliseconds source for key events that carry no timestamp (synthetic events).

    Signals:
        scanned(str): the text of a burst, without the Enter.
    """

    scanned = Signal(str)

    def __init__(
        self,
        edit: QLineEdit,
        *,
        min_chars: int = MIN_BURST_CHARS,
        max_gap_ms: float = MAX_KEY_GAP_MS,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(edit)
        self.setObjectName(f"{edit.objectName() or 'lineEdit'}ScanWedge")
        self._edit = edit
        self._detector = BurstDetector(min_chars=min_chars, max_gap_ms=max_gap_ms)
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self._before: tuple[str, int] = (edit.text(), edit.cursorPosition())
        edit.installEventFilter(self)

    def _time(self, event: QKeyEvent) -> float:
        # Window systems stamp key events in milliseconds; events a program posts itself carry 0.
        stamp = event.timestamp()
        return float(stamp) if stamp else self._clock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._edit or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        t = self._time(event)
        key = event.key()
        if key in _ENTER_KEYS:
            burst = self._detector.enter(t)
            if burst is None:
                self._before = (self._edit.text(), self._edit.cursorPosition())
                return False
            text, cursor = self._before
            self._edit.setText(text)
            self._edit.setCursorPosition(cursor)
            self.scanned.emit(burst.text)
            return True
        if key in _EDIT_KEYS:
            self._detector.backspace(t)
            return False
        char = event.text()
        if len(char) == 1 and char.isprintable():
            if self._detector.starts_run(t):
                self._before = (self._edit.text(), self._edit.cursorPosition())
            self._detector.key(char, t)
        return False
