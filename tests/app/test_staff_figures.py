"""Per-clerk and per-window figures (issue 18): served, average handling, pauses by reason, 好评率, overdue, with
their case lists; on SQLite and PostgreSQL, worked out by hand from the rows below."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.clock import HallClock
from app.queue.calling import pause_window, resume_window
from app.reports.daily import daily_report
from app.reports.export import to_csv, to_xlsx
from app.store import Store
from app.store.models import Rating, Ticket
from tests.app.report_day import HALL, D, _case, _ticket, at, make_hall


def _day(store: Store) -> dict[str, int]:
    ids = make_hall(store)
    with store.write() as s:
        # clerk01 at window 1: two tickets, 10 and 20 minutes; clerk02 at window 2: one of 30 minutes.
        for code, start, minutes, window, clerk in (("A001", at(9, 0), 10, 1, "c1"), ("A002", at(9, 30), 20, 1, "c1"),
                                                    ("B001", at(9, 0), 30, 2, "c2")):
            _ticket(s, code, start - dt.timedelta(minutes=5), "done", [("call", start, window)],
                    called_at=start, started_at=start, finished_at=start + dt.timedelta(minutes=minutes),
                    window_number=window, clerk_id=ids[clerk])
        # A ticket still being served counts as nobody's served one.
        _ticket(s, "A003", at(10, 0), "serving", [("call", at(10, 5), 1)], called_at=at(10, 5), window_number=1,
                clerk_id=ids["c1"])
        # clerk01: one case due yesterday and still open (overdue), one concluded; clerk02: one open, not yet due.
        late = _case(s, ids, "C-LATE", "normal", "accepted", promised_due=D - dt.timedelta(days=1))
        _case(s, ids, "C-DONE", "normal", "approved", promised_due=D - dt.timedelta(days=1))
        _case(s, ids, "C-OPEN", "normal", "accepted", window=2, clerk="c2", promised_due=D + dt.timedelta(days=5))
        for level, window, clerk in ((5, 1, "c1"), (2, 1, "c1"), (4, 2, "c2")):
            s.add(Rating(hall_code=HALL, window_number=window, clerk_id=ids[clerk], level=level, overall=level,
                         efficiency=level, service=level, attitude=level, at=at(11, level),
                         case_id=late.id if level == 5 else None))
    return ids


def _pauses(store: Store) -> None:
    clock = HallClock.frozen(at(12, 0))
    pause_window(store, hall_code=HALL, window_number=1, reason="午休", actor="clerk01", clock=clock)
    clock.set(at(12, 30))
    resume_window(store, hall_code=HALL, window_number=1, actor="clerk01", clock=clock)
    clock.set(at(15, 0))
    pause_window(store, hall_code=HALL, window_number=1, reason="系统维护", actor="clerk01", clock=clock)
    clock.set(at(15, 10))
    resume_window(store, hall_code=HALL, window_number=1, actor="clerk01", clock=clock)
    clock.set(at(16, 0))
    pause_window(store, hall_code=HALL, window_number=2, reason="午休", actor="clerk02", clock=clock)


@pytest.fixture
def store(any_store: Store) -> Store:
    _day(any_store)
    _pauses(any_store)
    return any_store


def test_per_clerk_and_per_window_figures(store: Store) -> None:
    clock = HallClock.frozen(at(17, 0))  # window 2's pause is still on: it lasts until now
    with store.read() as session:
        report = daily_report(session, start=D, hall_code=HALL, clock=clock)
    clerks = {r.label: r for r in report.staff.clerks}
    first, second = clerks["其木格"], clerks["巴特尔"]
    assert (first.served, first.handling_avg_s, first.cases, first.overdue) == (2, 15 * 60, 2, 1)
    assert (first.ratings, first.good, first.good_rate) == (2, 1, 0.5)
    assert [(p.reason, p.count, p.seconds) for p in first.pauses] == [("午休", 1, 1800), ("系统维护", 1, 600)]
    assert (second.served, second.handling_avg_s, second.overdue, second.good_rate) == (1, 30 * 60, 0, 1.0)
    assert [(p.reason, p.count, p.seconds) for p in second.pauses] == [("午休", 1, 3600)]
    assert [r.label for r in report.staff.clerks] == ["其木格", "巴特尔"]  # most served first
    windows = {r.key: r for r in report.staff.windows}
    assert [r.label for r in report.staff.windows] == ["1 号窗口", "2 号窗口"]
    assert (windows["1"].served, windows["1"].overdue, windows["2"].served) == (2, 1, 1)
    assert report.drill[first.drill] == ("C-DONE", "C-LATE")
    assert report.drill[first.overdue_drill] == ("C-LATE",)
    assert report.drill[windows["2"].drill] == ("C-OPEN",)
    assert report.to_json()["staff"]["clerks"][0]["good_rate"] == 0.5
    assert "午休 1 次 30 分" in first.pause_text


def test_a_day_without_work_has_no_rows(store: Store) -> None:
    clock = HallClock.frozen(at(17, 0))
    with store.read() as session:
        report = daily_report(session, start=D + dt.timedelta(days=1), hall_code=HALL, clock=clock)
        served = session.query(Ticket).count()
    assert served == 4
    assert report.staff.clerks == () and report.staff.windows == ()


def test_exports_carry_the_figures(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    clock = HallClock.frozen(at(17, 0))
    with store.read() as session:
        report = daily_report(session, start=D, hall_code=HALL, clock=clock)
    text = to_csv(report).decode("utf-8-sig")
    assert "按人员绩效" in text and "其木格,2,15 分 00 秒,2,50.0%,1" in text
    path = tmp_path / "r.xlsx"
    path.write_bytes(to_xlsx(report))
    sheet = load_workbook(path)["按窗口绩效"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:6] == ["窗口", "办结号数", "平均办理", "受理办件", "好评率", "逾期办件"]
    assert rows[1][:2] == ["1 号窗口", 2]
