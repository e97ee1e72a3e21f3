"""What every queue module shares: the ticket view handed to callers, window and hall lookups, name masking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import HallClock, aware, aware_or_none
from app.errors import NotFound, ValidationError
from app.masking import mask_name
from app.store.models import Hall, Ticket, Window
from app.vocabulary import PRIORITY_LABELS, TICKET_STATE_LABELS

# The queue's names for the shared words (app.queue exports them).
PRIORITY_KINDS = PRIORITY_LABELS
STATE_LABELS = TICKET_STATE_LABELS

# A window "holds" a ticket in these states; it may hold at most one.
HELD_STATES = ("called", "serving")


@dataclass(frozen=True)
class TicketView:
    """One ticket as callers see it (never the applicant's ID number)."""

    id: int
    code: str
    category: str
    priority: str
    state: str
    window_number: int | None
    service_date: dt.date
    issued_at: dt.datetime
    queued_at: dt.datetime
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    recall_count: int
    skip_count: int
    transferred_from: int | None
    appointment_id: int | None
    masked_name: str
    # The 绿色通道 rule that applied ("elder", …), also for a "weight" rule that leaves ``priority`` empty.
    priority_reason: str = ""

    @property
    def green_label(self) -> str:
        """老年人 / 残疾人 / 军人/消防 / 孕妇 when a 绿色通道 rule applied (jump or weight), else empty."""
        return PRIORITY_KINDS.get(self.priority or self.priority_reason, "")

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def priority_label(self) -> str:
        return PRIORITY_KINDS.get(self.priority, "")

    def to_json(self, clock: HallClock) -> dict[str, object]:
        """Times on the hall's wall clock, ISO 8601 with the offset."""

        def iso(value: dt.datetime | None) -> str | None:
            return clock.local(value).isoformat(timespec="seconds") if value else None

        return {
            "id": self.id,
            "code": self.code,
            "category": self.category,
            "priority": self.priority,
            "state": self.state,
            "state_label": self.state_label,
            "window": self.window_number,
            "service_date": self.service_date.isoformat(),
            "issued_at": iso(self.issued_at),
            "queued_at": iso(self.queued_at),
            "called_at": iso(self.called_at),
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "recall_count": self.recall_count,
            "skip_count": self.skip_count,
            "transferred_from": self.transferred_from,
            "appointment_id": self.appointment_id,
            "name": self.masked_name,
            "priority_reason": self.priority_reason,
        }


def view_of(t: Ticket) -> TicketView:
    return TicketView(
        id=t.id,
        code=t.code,
        category=t.category,
        priority=t.priority or "",
        state=t.state,
        window_number=t.window_number,
        service_date=t.service_date,
        issued_at=aware(t.issued_at),
        queued_at=aware(t.queued_at),
        called_at=aware_or_none(t.called_at),
        started_at=aware_or_none(t.started_at),
        finished_at=aware_or_none(t.finished_at),
        recall_count=t.recall_count or 0,
        skip_count=t.skip_count or 0,
        transferred_from=t.transferred_from,
        appointment_id=t.appointment_id,
        masked_name=mask_name(t.name or ""),
        priority_reason=t.priority_reason or "",
    )


def view_of_row(m: Mapping[str, Any], **changes: Any) -> TicketView:
    """A TicketView from a Core row of ``ticket`` (the call-next fast path), with the columns it just set."""
    d = {**m, **changes}
    return TicketView(
        id=d["id"], code=d["code"], category=d["category"], priority=d["priority"] or "", state=d["state"],
        window_number=d["window_number"], service_date=d["service_date"], issued_at=aware(d["issued_at"]),
        queued_at=aware(d["queued_at"]), called_at=aware_or_none(d["called_at"]),
        started_at=aware_or_none(d["started_at"]), finished_at=aware_or_none(d["finished_at"]),
        recall_count=d["recall_count"] or 0, skip_count=d["skip_count"] or 0,
        transferred_from=d["transferred_from"], appointment_id=d["appointment_id"],
        masked_name=mask_name(d["name"] or ""),
        priority_reason=d.get("priority_reason") or "",
    )


def get_hall(session: Session, hall_code: str) -> Hall:
    hall = session.get(Hall, hall_code)
    if hall is None:
        raise NotFound(f"大厅编码不存在：{hall_code}（请检查设置 hall.code）", field="hall")
    return hall


def hall_bilingual(session: Session, hall_code: str) -> bool:
    """The hall's choice (``hall.bilingual``): Mongolian beside the Chinese on its display, kiosk, rating screens
    and papers. A hall not yet in the store counts as bilingual, the region's rule."""
    hall = session.get(Hall, hall_code)
    return True if hall is None else bool(hall.bilingual)


def get_window(session: Session, hall_code: str, number: int, *, lock: bool = False) -> Window:
    stmt = select(Window).where(Window.hall_code == hall_code, Window.number == number)
    if lock:
        stmt = stmt.with_for_update()
    window = session.scalars(stmt).one_or_none()
    if window is None or not window.active:
        raise NotFound(f"窗口号不存在或已停用：{number} 号窗口", field="window")
    return window


def check_window_number(value: object) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"窗口号应为正整数，得到 {value!r}", field="window") from None
    if number <= 0:
        raise ValidationError(f"窗口号应为正整数，得到 {value!r}", field="window")
    return number


def hall_categories(session: Session, hall_code: str) -> dict[str, str]:
    """Letters some active window of the hall serves → their names (from the current catalog where known)."""
    letters: set[str] = set()
    for cats in session.scalars(
        select(Window.categories).where(Window.hall_code == hall_code, Window.active.is_(True))
    ):
        letters.update(str(c).upper() for c in (cats or []))
    names = catalog_category_names(session)
    return {letter: names.get(letter, f"{letter} 类业务") for letter in sorted(letters)}


def catalog_category_names_mn(session: Session) -> dict[str, str]:
    """The current catalog's letter → Mongolian name map (``[categories_mn]``); empty when none is imported."""
    from app.catalog.store import current_categories_mn

    return {str(k).upper(): str(v) for k, v in current_categories_mn(session).items()}


def catalog_category_names(session: Session) -> dict[str, str]:
    """The current catalog's letter → name map; empty when no catalog is imported yet."""
    try:
        from app.catalog.store import current_catalog
    except ImportError:  # the catalog store is written by another engineer; names then fall back to letters
        return {}
    found = current_catalog(session)
    if found is None:
        return {}
    return {str(k).upper(): str(v) for k, v in (getattr(found[1], "categories", None) or {}).items()}
