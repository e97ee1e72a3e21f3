"""受理编号: hall code (6) + yymmdd + window (2) + sequence (4), all digits.

Digits only so the barcode is a compact Code128-C and a clerk can read it aloud in groups. The window number is
part of the number, so two windows that accept while offline never collide; the sequence is a per (hall, window,
day) counter taken inside the accepting transaction, so a rolled-back acceptance gives its number back.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.errors import StateError, ValidationError
from app.store.models import Counter

CASE_NO_LENGTH = 18
MAX_SEQUENCE = 9999
_CASE_NO = re.compile(r"^\d{18}$")


def _check_parts(hall_code: str, window_number: int) -> None:
    if not re.fullmatch(r"\d{6}", hall_code or ""):
        raise ValidationError(f"大厅编码应为 6 位数字（行政区划代码），得到 {hall_code!r}", field="hall_code")
    if not 1 <= window_number <= 99:
        raise ValidationError(f"窗口号应在 1–99 之间，得到 {window_number}", field="window_number")


def format_case_no(hall_code: str, day: dt.date, window_number: int, sequence: int) -> str:
    _check_parts(hall_code, window_number)
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise StateError(f"窗口 {window_number} 当日受理编号已用完（上限 {MAX_SEQUENCE} 件）", field="case_no")
    return f"{hall_code}{day:%y%m%d}{window_number:02d}{sequence:04d}"


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
    _check_parts(hall_code, window_number)
    sequence = next_sequence(session, counter_name(hall_code, window_number, day))
    return format_case_no(hall_code, day, window_number, sequence)


def normalize_case_no(text: str) -> str:
    """Accept a number typed with spaces or dashes, or scanned; raise with the reason when it is not one."""
    digits = re.sub(r"[\s\-]", "", text or "")
    if not _CASE_NO.match(digits):
        raise ValidationError(f"受理编号应为 {CASE_NO_LENGTH} 位数字，得到 {text!r}", field="case_no")
    return digits


def speak_case_no(case_no: str) -> str:
    """Groups for reading aloud or printing: ``150929 261122 03 0007`` (hall, date, window, sequence)."""
    no = normalize_case_no(case_no)
    return f"{no[:6]} {no[6:12]} {no[12:14]} {no[14:]}"
