"""The daily report's time-rule lines (issue 14): §42 extensions, §45 stops by kind, 补正 returns and the cases
paused now — counted in SQL on SQLite and PostgreSQL, shown in the text, JSON, CSV and XLSX outputs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cases import accept_case
from app.cases.lifecycle import terminate
from app.cases.time_rules import extend_deadline, resume_clock, return_for_supplement, stop_clock
from app.reports import daily_report
from app.reports.export import to_csv, to_xlsx
from app.store import Store
from console import run_group
from tests.app._case_kit import HALL, MONDAY, pension_request, person_id, prepare
from tests.hall_clock import on

DAY = MONDAY.date()
TUESDAY = DAY + dt.timedelta(days=1)
LATER = MONDAY + dt.timedelta(hours=3)
NEXT = LATER + dt.timedelta(days=1)


def build(store: Store, tmp_path: Path) -> dict[str, str]:
    """A: extended and stopped for 检测 (still stopped); B: 专家评审 stopped and resumed; C: returned by the back
    office (still stopped); D: 听证 from Tuesday (outside a Monday report, but paused now); E: 鉴定, then
    terminated (not paused any more); F: nothing."""
    prepare(store)
    clock = on(DAY)
    no = {k: accept_case(store, pension_request(id_no=person_id(i + 10)), files_dir=tmp_path, clock=clock).case_no
          for i, k in enumerate("ABCDEF")}
    with store.write() as s:
        extend_deadline(s, case_no=no["A"], days=5, approved_by="赵敏", reason="需实地核查", actor="c", at=LATER,
                        today=DAY)
        stop_clock(s, case_no=no["A"], stop="testing", actor="c", at=LATER, today=DAY)
        stop_clock(s, case_no=no["B"], stop="expert_review", actor="c", at=LATER, today=DAY)
        resume_clock(s, case_no=no["B"], actor="c", at=NEXT, today=TUESDAY)
        return_for_supplement(s, case_no=no["C"], items=["户口簿"], note="", actor="hub", at=LATER, today=DAY)
        stop_clock(s, case_no=no["D"], stop="hearing", actor="c", at=NEXT, today=TUESDAY)
        stop_clock(s, case_no=no["E"], stop="appraisal", actor="c", at=LATER, today=DAY)
        terminate(s, case_no=no["E"], reason="申请人撤回申请", actor="c", at=NEXT)
    return no


def test_the_days_extensions_stops_returns_and_paused_cases(any_store: Store, tmp_path: Path) -> None:
    no = build(any_store, tmp_path)
    with any_store.read() as s:
        report = daily_report(s, start=DAY, hall_code=HALL, clock=on(TUESDAY))
    t = report.time_rules
    assert (t.extended, t.returns, t.paused_now) == (1, 1, 3)
    assert [(x.kind, x.count) for x in t.stops] == [("testing", 1), ("appraisal", 1), ("expert_review", 1)]
    assert report.drill["clock:extend"] == (no["A"],)
    assert report.drill["clock:stop:expert_review"] == (no["B"],)
    assert report.drill["clock:return"] == (no["C"],)
    assert set(report.drill["clock:paused"]) == {no["A"], no["C"], no["D"]}
    lines = {label: (value, key) for label, value, key in report.summary()}
    assert lines["延长办理期限（第四十二条）"] == ("1", "clock:extend")
    assert lines["暂停计时（第四十五条）"] == ("3", "clock:stop")
    assert lines["　其中检测"] == ("1", "clock:stop:testing")
    assert lines["后台退回补正"] == ("1", "clock:return") and lines["目前暂停计时的办件"][0] == "3"
    assert report.to_json()["time_rules"] == {"extended": 1, "stops_total": 3, "returns": 1, "paused_now": 3,
                                              "stops": {"testing": 1, "appraisal": 1, "expert_review": 1}}
    # The range Monday–Tuesday adds the 听证 begun on Tuesday.
    with any_store.read() as s:
        both = daily_report(s, start=DAY, end=TUESDAY, hall_code=HALL, clock=on(TUESDAY)).time_rules
    assert both.stops_total == 4 and both.extended == 1
    # Another hall's report sees none of it.
    with any_store.read() as s:
        from app.store.models import Hall

        s.add(Hall(code="150921", name="卓资县政务服务中心"))
        s.flush()
        other = daily_report(s, start=DAY, hall_code="150921", clock=on(TUESDAY)).time_rules
    assert (other.extended, other.stops, other.returns, other.paused_now) == (0, (), 0, 0)


def test_csv_xlsx_and_text_carry_the_lines(sqlite_store: Store, sqlite_url: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    build(sqlite_store, tmp_path)
    with sqlite_store.read() as s:
        report = daily_report(s, start=DAY, hall_code=HALL, clock=on(TUESDAY))
    data = to_csv(report)
    assert data.startswith("\ufeff".encode())
    rows = {r[0]: r[1] for r in csv.reader(io.StringIO(data.decode("utf-8-sig"))) if len(r) == 2}
    assert rows["延长办理期限（第四十二条）"] == "1" and rows["其中鉴定"] == "1" and rows["后台退回补正"] == "1"
    path = tmp_path / "r.xlsx"
    path.write_bytes(to_xlsx(report))
    overview = {row[0]: row[1] for row in load_workbook(path)["概览"].iter_rows(min_row=3, values_only=True)}
    assert overview["暂停计时（第四十五条）"] == 3 and overview["目前暂停计时的办件"] == 3

    monkeypatch.setenv("ZC_CLOCK_AT", on(TUESDAY).now().isoformat())
    out = tmp_path / "day.csv"
    argv = ["daily", "--db", sqlite_url, "--date", DAY.isoformat(), "--hall", HALL]
    assert run_group("report", [*argv, "--csv", str(out)]) == 0
    written = {r[0]: r[1] for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) if len(r) == 2}
    assert written == rows  # the command writes what to_csv makes
    capsys.readouterr()
    assert run_group("report", argv) == 0
    text = capsys.readouterr().out
    assert "暂停计时（第四十五条）：3" in text and "目前暂停计时的办件：3" in text
    assert run_group("report", [*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["time_rules"]["returns"] == 1


def test_the_supervisor_screen_shows_and_drills_the_lines(qtbot, sqlite_store: Store,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    from app.settings import load_settings
    from ui.context import AppContext
    from ui.supervisor import SupervisorWindow
    from ui.tasks import InlineRunner

    no = build(sqlite_store, tmp_path)
    settings = load_settings()
    settings.hall.code = HALL
    ctx = AppContext(settings=settings, store=sqlite_store, runner=InlineRunner(), clock=on(TUESDAY))
    window = SupervisorWindow(ctx)
    qtbot.add_widget(window)
    with qtbot.waitSignal(window.report_loaded):
        window.show_day(DAY)
    table = window.summary
    shown = {table.item(i, 0).text(): table.item(i, 1).text() for i in range(table.rowCount())}
    assert shown["延长办理期限（第四十二条）"] == "1 ▸" and shown["后台退回补正"] == "1 ▸"
    assert shown["暂停计时（第四十五条）"] == "3 ▸" and shown["目前暂停计时的办件"] == "3 ▸"
    assert window.report is not None and window.report.drill["clock:return"] == (no["C"],)
