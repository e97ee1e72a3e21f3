"""A staffed "help me" call from the kiosk (无差别 / 长辈服务): an applicant who cannot take a number alone taps
呼叫工作人员 and the supervisor's screen shows it until someone answers.

Kept in the audit log (``kiosk.help`` / ``kiosk.help_answered`` rows, target the hall code): a help call is an
event with a time and a place, not a ticket, and the audit chain already keeps such rows tamper-evident. No
schema change. A second tap from the same kiosk while a call is still open is the same call (not a new row), so
an impatient applicant does not flood the supervisor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import audit
from app.clock import HallClock, aware
from app.store import Store
from app.store.models import AuditEvent

REQUEST, ANSWERED = "kiosk.help", "kiosk.help_answered"


@dataclass(frozen=True)
class HelpCall:
    at: dt.datetime  # aware UTC, when first tapped
    kiosk: str  # which kiosk (its host name or configured id)


def open_help_calls(session: Session, hall_code: str, *, day: dt.date, clock: HallClock) -> list[HelpCall]:
    """Today's calls from ``hall_code``'s kiosks not answered yet, oldest first."""
    start, end = clock.day_bounds(day)
    rows = session.execute(
        select(AuditEvent.action, AuditEvent.at, AuditEvent.host)
        .where(AuditEvent.action.in_((REQUEST, ANSWERED)), AuditEvent.target == hall_code,
               AuditEvent.at >= start, AuditEvent.at < end)
        .order_by(AuditEvent.id)).all()
    calls: dict[str, HelpCall] = {}
    for action, at, host in rows:
        if action == ANSWERED:
            calls.clear()  # one answer clears every call open before it
        elif host not in calls:
            calls[host] = HelpCall(at=aware(at), kiosk=host)
    return sorted(calls.values(), key=lambda c: c.at)


def request_help(store: Store, *, hall_code: str, kiosk: str, clock: HallClock) -> HelpCall:
    """Record a call (or return the one this kiosk already has open)."""
    at = clock.now()
    with store.write() as session:
        for call in open_help_calls(session, hall_code, day=clock.day_of(at), clock=clock):
            if call.kiosk == kiosk:
                return call
        audit(session, action=REQUEST, actor="kiosk", target=hall_code, host=kiosk, at=at)
    return HelpCall(at=at, kiosk=kiosk)


def answer_help(store: Store, *, hall_code: str, actor: str, clock: HallClock) -> int:
    """Someone is on the way: close every open call of the hall; returns how many were open."""
    at = clock.now()
    with store.write() as session:
        calls = open_help_calls(session, hall_code, day=clock.day_of(at), clock=clock)
        if calls:
            audit(session, action=ANSWERED, actor=actor, target=hall_code, at=at, detail={"calls": len(calls)})
    return len(calls)


__all__ = ["HelpCall", "answer_help", "open_help_calls", "request_help"]
