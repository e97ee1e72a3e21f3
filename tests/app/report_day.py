"""A hand-made hall day for report and rating tests, written straight through the ORM.

Day D = 2026-03-10 (a Tuesday). The expected counts in tests/app/test_reports.py are worked out by hand from the
rows below; each row's comment says what it is there to exercise.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.store import Store
from app.store.models import (
    Appointment,
    Case,
    CatalogVersion,
    Clerk,
    Hall,
    Rating,
    Ticket,
    TicketEvent,
    Window,
)
from tests.hall_clock import CLOCK

HALL = "150929"
HALL_NAME = "四子王旗政务服务中心"
HALL_ZONE = CLOCK.zone  # the hall's wall clock, as the services read it
D = dt.date(2026, 3, 10)


def at(hh: int, mm: int = 0, day: dt.date = D) -> dt.datetime:
    """A local time on ``day``, as the UTC instant every writer of the store stores."""
    return dt.datetime.combine(day, dt.time(hh, mm), HALL_ZONE).astimezone(dt.UTC)


def make_hall(store: Store) -> dict[str, Any]:
    with store.write() as s:
        s.add(Hall(code=HALL, name=HALL_NAME))
        s.flush()
        for number in (1, 2):
            s.add(Window(hall_code=HALL, number=number, name="综合受理", categories=["A", "B"]))
        c1 = Clerk(hall_code=HALL, username="clerk01", name="其木格", password_hash="x")
        c2 = Clerk(hall_code=HALL, username="clerk02", name="巴特尔", password_hash="x")
        version = CatalogVersion(version="test-1", issued="2026-01-01", sha256="0" * 64, current=True)
        s.add_all([c1, c2, version])
        s.flush()
        return {"c1": c1.id, "c2": c2.id, "version": version.id}


def _ticket(s: Any, code: str, issued: dt.datetime, state: str, events: list[tuple[str, dt.datetime, int | None]],
            **kw: Any) -> Ticket:
    t = Ticket(hall_code=HALL, service_date=kw.pop("day", D), category=code[0], number=int(code[1:]), code=code,
               state=state, issued_at=issued, queued_at=issued, **kw)
    s.add(t)
    s.flush()
    s.add(TicketEvent(ticket_id=t.id, kind="issue", at=issued))
    for kind, when, window in events:
        s.add(TicketEvent(ticket_id=t.id, kind=kind, at=when, window_number=window))
    return t


def _case(s: Any, ids: dict[str, Any], no: str, decision: str, state: str, *, day: dt.date = D,
          matter: tuple[str, str, str] = ("M1", "城乡居民养老保险参保登记", "旗人力资源和社会保障局"),
          window: int = 1, clerk: str = "c1", **kw: Any) -> Case:
    code, name, dept = matter
    case = Case(case_no=no, hall_code=HALL, window_number=window, clerk_id=ids[clerk],
                catalog_version_id=ids["version"], matter_code=code, matter_name=name, department=dept,
                matter_snapshot={}, applicant_name="张三丰", applicant_id_kind="resident",
                applicant_id_no="150929199001011234", decision=decision, state=state,
                accepted_at=at(9, 30, day), service_date=day, **kw)
    s.add(case)
    s.flush()
    return case


M2 = ("M2", "个体工商户设立登记", "旗市场监督管理局")
M3 = ("M3", "最低生活保障申请", "旗民政局")


def build_day(store: Store) -> dict[str, Any]:
    ids = make_hall(store)
    with store.write() as s:
        # Tickets of D.
        t1 = _ticket(s, "A001", at(9, 0), "done", [("print", at(9, 0), None), ("call", at(9, 10), 1),
                                                   ("start", at(9, 11), 1), ("finish", at(9, 21), 1)],
                     called_at=at(9, 10), started_at=at(9, 11), finished_at=at(9, 21), window_number=1,
                     clerk_id=ids["c1"])
        t2 = _ticket(s, "A002", at(9, 5), "done", [("print", at(9, 5), None), ("call", at(9, 25), 2),
                                                   ("start", at(9, 26), 2), ("finish", at(9, 56), 2)],
                     called_at=at(9, 25), started_at=at(9, 26), finished_at=at(9, 56), window_number=2,
                     clerk_id=ids["c2"])
        # Skipped twice: a no-show; its wait ends at the *first* call although called_at holds the second.
        _ticket(s, "A003", at(9, 10), "skipped", [("print", at(9, 10), None), ("call", at(9, 40), 1),
                                                  ("skip", at(9, 45), 1), ("call", at(10, 0), 1),
                                                  ("skip", at(10, 5), 1)],
                called_at=at(10, 0), skip_count=2, window_number=1)
        # Skipped once, requeued, then voided: also a no-show.
        _ticket(s, "A004", at(9, 20), "void", [("print", at(9, 20), None), ("call", at(9, 50), 2),
                                               ("skip", at(9, 55), 2), ("void", at(10, 30), None)],
                called_at=at(9, 50), skip_count=1)
        # Transferred from window 1 to 2, then served there.
        _ticket(s, "B001", at(10, 0), "done", [("print", at(10, 0), None), ("call", at(10, 5), 1),
                                               ("transfer", at(10, 8), 1), ("call", at(10, 20), 2),
                                               ("start", at(10, 21), 2), ("finish", at(10, 41), 2)],
                called_at=at(10, 20), started_at=at(10, 21), finished_at=at(10, 41), window_number=2,
                transferred_from=1)
        _ticket(s, "B002", at(10, 30), "issuing", [])  # never printed: not issued
        _ticket(s, "B003", at(10, 35), "void", [("void", at(10, 36), None)])  # print failed, voided: not issued
        _ticket(s, "B004", at(11, 0), "waiting", [("print", at(11, 0), None)])  # still waiting at close
        _ticket(s, "A001", at(9, 0, D - dt.timedelta(days=1)), "done", [], day=D - dt.timedelta(days=1))

        # Cases accepted on D: one of each decision.
        c1 = _case(s, ids, "C1", "normal", "forwarded", promised_due=D + dt.timedelta(days=7),
                   proxy={"name": "李四", "id_no": "150929198001011234"}, ticket_id=t1.id)
        _case(s, ids, "C2", "deferred", "awaiting_supplement", supplement_due=D + dt.timedelta(days=3))
        c3 = _case(s, ids, "C3", "pledge", "accepted", matter=M2, window=2, clerk="c2", scope="region_wide")
        _case(s, ids, "C4", "refused", "refused_at_counter", matter=M2, window=2, clerk="c2", proxy=None)
        c5 = _case(s, ids, "C5", "normal", "approved", matter=M3, window=2, clerk="c2", promised_due=D,
                   concluded_at=at(15, 0))
        # Earlier cases that matter on D.
        early = D - dt.timedelta(days=10)
        _case(s, ids, "C6", "deferred", "awaiting_supplement", day=early, supplement_due=D - dt.timedelta(days=2))
        _case(s, ids, "C7", "deferred", "accepted", day=early, supplement_due=D - dt.timedelta(days=2))
        _case(s, ids, "C8", "deferred", "awaiting_supplement", day=D - dt.timedelta(days=5), supplement_due=D)
        _case(s, ids, "C9", "normal", "approved", day=D - dt.timedelta(days=20), promised_due=D - dt.timedelta(days=1),
              concluded_at=at(10, 0))
        _case(s, ids, "C10", "normal", "approved", day=D - dt.timedelta(days=20), promised_due=D,
              concluded_at=at(10, 0, D - dt.timedelta(days=1)))

        # Ratings given on D (and one the day before, which must not count).
        def rate(level: int, when: dt.datetime, **kw: Any) -> None:
            s.add(Rating(hall_code=HALL, window_number=1, level=level, overall=level, efficiency=level,
                         service=level, attitude=level, at=when, **kw))

        rate(5, at(9, 40), case_id=c1.id, clerk_id=ids["c1"])
        rate(4, at(10, 0), case_id=c3.id, clerk_id=ids["c2"])
        rate(2, at(15, 10), case_id=c5.id, clerk_id=ids["c2"], follow_up_due=D + dt.timedelta(days=7),
             follow_up_state="open")
        rate(3, at(10, 0), ticket_id=t2.id, clerk_id=ids["c2"])
        rate(1, at(16, 0, D - dt.timedelta(days=1)))

        for code, state in (("Y1", "checked_in"), ("Y2", "missed"), ("Y3", "booked"), ("Y4", "cancelled")):
            s.add(Appointment(hall_code=HALL, code=code, category="A", service_date=D, start=at(9, 0),
                              end=at(9, 30), state=state))
    return ids
