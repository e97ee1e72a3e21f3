"""A counter day at awkward instants: the hall clock decides every date, whatever the machine's zone says.

Each instant runs the same day — a ticket drawn and called, a case accepted, its receipt printed, the receipt's
barcode scanned back to the case, the day's counts — with the hall clock frozen there. CI runs this module with
the machine in UTC and again in Asia/Shanghai (``bootstrap.py test``), so hall time and machine time split.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cases.service import accept
from app.cases.views import find_case
from app.clock import HallClock
from app.devices.scanner import recognise
from app.errors import CalendarError
from app.identity import check_id, id_check_digit
from app.queue.calling import call_next
from app.queue.tickets import confirm_printed, issue_ticket
from app.reports.daily import daily_report
from app.store import Store
from app.store.models import Case, Outbox, Window
from app.workdays import default_calendar
from printing.documents import render
from printing.from_store import case_doc
from tests.app._case_kit import HALL, pension_request, person_id, prepare
from tests.printing.pdf_tools import decode, render_page

pytestmark = pytest.mark.date_sensitive

# (name, hall wall-clock instant). Machine zones differ from the hall's at every one of these in UTC.
INSTANTS = {
    "hall-small-hours": "2026-12-08T00:30:00+08:00",  # UTC is still 2026-12-07
    "hall-late-evening": "2026-12-07T23:30:00+08:00",
    "utc-midnight": "2026-12-08T08:00:00+08:00",  # 00:00 UTC: a UTC machine's date turns over now
    "last-second-of-a-day": "2026-12-07T23:59:59+08:00",
    "new-years-eve": "2026-12-31T23:59:59+08:00",
    "leap-day-eve": "2024-02-28T23:59:59+08:00",
    "makeup-sunday": "2026-09-20T09:00:00+08:00",  # 调休: a Sunday that is a working day (国庆 2026)
    "year-without-notice": "2028-01-01T09:00:00+08:00",  # no 2028 holiday notice in the calendar
}


@pytest.fixture(params=list(INSTANTS), ids=list(INSTANTS))
def clock(request: pytest.FixtureRequest) -> HallClock:
    return HallClock.frozen(INSTANTS[request.param])


@pytest.fixture
def hall(sqlite_store: Store) -> Store:
    prepare(sqlite_store)
    with sqlite_store.write() as s:
        if s.scalars(select(Window).where(Window.hall_code == HALL, Window.number == 3)).first() is None:
            s.add(Window(hall_code=HALL, number=3, name="综合受理", categories=["A"]))
    return sqlite_store


def _known_year(clock: HallClock) -> bool:
    return clock.today().year in default_calendar().years


def _scan_receipt(store: Store, case_no: str, clock: HallClock) -> str:
    """Print the receipt, render it as a scanner would see it, decode the Code128 and recognise it."""
    with store.read() as s:
        pdf = render("receipt", case_doc(s, case_no, clock=clock))
    codes = decode(render_page(pdf)).get("Code128", [])
    assert codes, "the receipt's barcode does not decode"

    def known(text: str) -> bool:
        with store.read() as s:
            return find_case(s, text) is not None

    scan = recognise(codes[0], today=clock.today(), is_case_no=known)
    assert scan.kind == "case_no" and scan.ok, scan
    with store.read() as s:
        found = find_case(s, scan.value)
    assert found is not None, f"scanned {scan.value!r} does not open a case"
    return found.case_no


def test_a_ticket_belongs_to_the_hall_day(hall: Store, clock: HallClock) -> None:
    ticket = issue_ticket(hall, hall_code=HALL, category="A", clock=clock)
    confirm_printed(hall, ticket.id, clock=clock)
    assert ticket.service_date == clock.today()
    called = call_next(hall, hall_code=HALL, window_number=3, request_id=str(uuid.uuid4()), clock=clock)
    assert called.code == ticket.code
    clock.advance(seconds=1)
    later = issue_ticket(hall, hall_code=HALL, category="A", clock=clock)
    assert later.service_date == clock.today()
    if later.service_date != ticket.service_date:  # the hall's midnight passed: numbering starts again
        assert later.code == ticket.code


def test_a_case_is_dated_deadlined_and_scanned_back_by_the_hall_clock(hall: Store, clock: HallClock,
                                                                     tmp_path: Path) -> None:
    request = pension_request(at=clock.now())
    if not _known_year(clock):
        with pytest.raises(CalendarError, match=f"{clock.today().year} 年"):
            accept(hall, request, files_dir=tmp_path, clock=clock)
        with hall.read() as s:  # refused before anything was written
            assert s.scalar(select(func.count()).select_from(Case)) == 0
            assert s.scalar(select(func.count()).select_from(Outbox)) == 0
        return
    result = accept(hall, request, files_dir=tmp_path, clock=clock)
    summary = result.summary
    assert clock.day_of(summary.accepted_at) == clock.today()
    assert f"{clock.today():%y%m%d}" in summary.case_no  # the number carries the hall's day
    calendar = default_calendar()
    assert summary.promised_due is not None and summary.promised_due > clock.today()
    assert calendar.is_workday(summary.promised_due)

    assert _scan_receipt(hall, summary.case_no, clock) == summary.case_no
    first_day = clock.today()
    clock.advance(seconds=1)  # for the 23:59:59 instants: the next hall day, the receipt still opens
    assert _scan_receipt(hall, summary.case_no, clock) == summary.case_no

    again = accept(hall, pension_request(at=clock.now(), id_no=person_id(seq=321)), files_dir=tmp_path,
                   clock=clock)
    assert f"{clock.today():%y%m%d}" in again.summary.case_no
    with hall.read() as s:
        today = daily_report(s, start=clock.today(), hall_code=HALL, clock=clock)
        both = daily_report(s, start=first_day, end=clock.today(), hall_code=HALL, clock=clock)
    # Each case counts on the hall day it was accepted: at 23:59:59 the second one is the next day's.
    assert today.cases_total == (1 if clock.today() != first_day else 2)
    assert both.cases_total == 2


def test_an_id_number_is_checked_against_the_hall_day(clock: HallClock) -> None:
    def born(day: dt.date) -> str:
        body = f"150929{day:%Y%m%d}123"
        return body + id_check_digit(body)

    assert check_id(born(clock.today()), today=clock.today()).valid
    tomorrow = check_id(born(clock.today() + dt.timedelta(days=1)), today=clock.today())
    assert not tomorrow.valid and any("晚于" in e for e in tomorrow.errors)
