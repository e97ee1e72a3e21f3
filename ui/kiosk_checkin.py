"""预约签到 at the kiosk: by the booking's code or the applicant's ID number — typed, scanned by the wedge scanner
into the field, or read from the ID card placed on the reader (``ui.device_service.CardReaderService``).

The kiosk's layout (the field and the button) is ``ui.kiosk``'s; this module is the flow behind them. On time the
booking's ticket goes into the appointment lane (called before walk-ins); past ``queue.checkin_late_minutes``
after the slot the applicant gets an ordinary ticket and is told so (``app.queue.appointments``). The ticket then
prints and is confirmed like any other (``Kiosk._print``), so a failed print voids it and frees the booking.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt

from app import queue as q
from app.queue import appointments as ap

if TYPE_CHECKING:
    from ui.kiosk import Kiosk


class KioskCheckIn(QObject):
    """``start(text)`` checks in; ``attach_reader(service)`` checks in whoever places an ID card on the reader.
    ``last`` is the latest :class:`app.queue.appointments.CheckIn` (its message is shown once the ticket prints).
    """

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__(kiosk)
        self.kiosk = kiosk
        self.last: ap.CheckIn | None = None
        self.reader: Any = None

    def attach_reader(self, service: Any) -> None:
        """Check in by the card's ID number; the card's other fields are not kept."""
        self.reader = service
        service.card_read.connect(lambda card: self.start(card.id_number), Qt.ConnectionType.QueuedConnection)

    def start(self, text: str, issue: Callable[[Callable[[], q.TicketView]], None] | None = None) -> None:
        kiosk = self.kiosk
        if kiosk.busy:
            return
        store, hall, qs, clock = kiosk.ctx.store, kiosk.ctx.hall_code, kiosk.ctx.settings.queue, kiosk.ctx.clock
        rid = f"kiosk-{uuid.uuid4()}"

        def work() -> q.TicketView:
            result = ap.check_in_or_walk_in(store, hall_code=hall, code_or_id=text, request_id=rid,
                                            early_minutes=qs.checkin_early_minutes,
                                            late_minutes=qs.checkin_late_minutes, daily_reset=qs.daily_reset,
                                            clock=clock)
            self.last = result
            return result.ticket

        self.last = None
        (issue or kiosk._start)(work)

    def stop(self) -> None:
        if self.reader is not None:
            self.reader.stop()


__all__ = ["KioskCheckIn"]
