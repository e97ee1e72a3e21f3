"""Allocating 受理编号 in the store: a per (hall, window, day) counter taken inside the accepting transaction.

The window number is part of the number, so two windows that accept while offline never collide; a rolled-back
acceptance gives its number back. The counter is the same for both forms of the number (``app.case_no``), so a
new number's first 18 digits are never an old-form number of the same hall.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.case_no import check_parts, format_case_no
from app.store.models import Counter


def counter_name(hall_code: str, window_number: int, day: dt.date) -> str:
    return f"case:{hall_code}:{window_number:02d}:{day:%Y%m%d}"


def next_sequence(session: Session, name: str) -> int:
    """Increment the named counter atomically and return the new value (an upsert on both engines)."""
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        stmt = insert(Counter).values(name=name, value=1)
        stmt = stmt.on_conflict_do_update(index_elements=[Counter.name], set_={"value": Counter.value + 1})
        return int(session.execute(stmt.returning(Counter.value)).scalar_one())
    row = session.scalars(select(Counter).where(Counter.name == name).with_for_update()).one_or_none()
    if row is None:
        row = Counter(name=name, value=0)
        session.add(row)
    row.value += 1
    session.flush()
    return int(row.value)


def allocate_case_no(session: Session, *, hall_code: str, window_number: int, day: dt.date) -> str:
    """The next 受理编号 for this window and service day, inside the caller's transaction."""
    check_parts(hall_code, window_number)
    sequence = next_sequence(session, counter_name(hall_code, window_number, day))
    return format_case_no(hall_code, day, window_number, sequence)
