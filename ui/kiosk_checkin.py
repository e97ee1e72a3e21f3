"""预约签到 at the kiosk: by the booking's code or the applicant's ID number — typed, scanned by the wedge scanner
into the field, or read from the ID card placed on the reader (``ui.device_service.CardReaderService``).

The kiosk's layout (the field and the button) is ``ui.kiosk``'s; this module is the flow behind them. On time the
booking's ticket goes into the appointment lane (called before walk-ins); past ``queue.checkin_late_minutes``
after the slot the applicant gets an ordinary ticket and is told so (``app.queue.appointments``). The ticket then
prints and is confirmed like any other (``Kiosk._print``), so a failed print voids it and frees the booking.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt

from app import queue as q
from app.errors import CounterError, StateError, StoreError
from app.queue import appointments as ap
from app.queue.priority import GreenChannel, hall_rules

NO_GREEN = GreenChannel("", "", dt.timedelta(0))

CHECKIN_OFFLINE = "预约签到暂时无法办理，请点击业务类别取号，到窗口出示预约信息"

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

        journal = kiosk.journal

        def number_for(category: str) -> int | None:
            """The booking's ticket takes the kiosk's next reserved number, like a walk-in's."""
            at = clock.now()
            local = journal.draw(request_id=rid, hall_code=hall, category=category, green=NO_GREEN,
                                 rules=hall_rules(qs), at=at, day=clock.day_of(at), daily_reset=qs.daily_reset)
            if local is None:
                return None
            kiosk.local[rid] = local
            return local.number

        def work() -> q.TicketView:
            try:
                result = ap.check_in_or_walk_in(store, hall_code=hall, code_or_id=text, request_id=rid,
                                                early_minutes=qs.checkin_early_minutes,
                                                late_minutes=qs.checkin_late_minutes, daily_reset=qs.daily_reset,
                                                number_for=number_for, clock=clock)
            except CounterError as exc:
                if kiosk.local.pop(rid, None) is not None:
                    journal.mark(rid, "void")  # drawn but not issued: the number is not used
                if isinstance(exc, StoreError):
                    # The hall server is gone: bookings live there. Walk-in numbers still print (the local copy).
                    raise StateError(CHECKIN_OFFLINE, field="appointment") from None
                raise
            if rid in kiosk.local:
                journal.mark(rid, "online")
            self.last = result
            return result.ticket

        self.last = None
        (issue or kiosk._start)(work)

    def stop(self) -> None:
        if self.reader is not None:
            self.reader.stop()


__all__ = ["KioskCheckIn"]
