"""The supervisor's daily counts over a hand-made day, on SQLite and PostgreSQL, and their xlsx/PDF exports."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.errors import ValidationError
from app.reports import case_lines, daily_report
from app.reports.export import to_xlsx
from app.store import Store
from console import run_group
from printing.report import to_pdf
from tests.app.report_day import HALL, D, build_day
from tests.hall_clock import CLOCK, on

LATER = D + dt.timedelta(days=30)


@pytest.fixture
def day_store(any_store: Store) -> Store:
    build_day(any_store)
    return any_store


def report_of(store: Store, **kw: object):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return daily_report(session, start=kw.pop("start", D), hall_code=HALL, clock=on(kw.pop("today", LATER)),
                            **kw)  # type: ignore[arg-type]


def test_ticket_counts_and_times(day_store: Store) -> None:
    r = report_of(day_store)
    assert (r.tickets_issued, r.tickets_served, r.tickets_no_show, r.tickets_transferred) == (6, 3, 2, 1)
    # Waits 10, 20, 30 (first call, not the second), 30, 5 minutes; services 10, 30, 20 minutes.
    assert r.wait_avg_s == pytest.approx(1140)
    assert r.wait_p90_s == pytest.approx(1800)
    assert r.service_avg_s == pytest.approx(1200)
    assert r.service_p90_s == pytest.approx(1680)
    assert r.tickets_by_hour[9:12] == (4, 1, 1) and sum(r.tickets_by_hour) == 6
    assert [row.count for row in r.wait_histogram] == [0, 1, 1, 1, 2, 0]


def test_case_counts_by_decision_matter_window_clerk(day_store: Store) -> None:
    r = report_of(day_store)
    assert r.cases_total == 5
    assert [(row.key, row.label, row.count) for row in r.by_decision] == [
        ("normal", "正常受理", 2), ("deferred", "容缺受理", 1), ("pledge", "告知承诺", 1),
        ("supplement", "补正告知", 0), ("refused", "不予受理", 1)]
    assert {row.key: row.count for row in r.by_matter} == {"M1": 2, "M2": 2, "M3": 1}
    assert {row.label: row.count for row in r.by_department} == {
        "旗人力资源和社会保障局": 2, "旗市场监督管理局": 2, "旗民政局": 1}
    assert [(row.label, row.count) for row in r.by_window] == [("1 号窗口", 2), ("2 号窗口", 3)]
    assert {row.label: row.count for row in r.by_clerk} == {"其木格": 2, "巴特尔": 3}
    assert (r.proxy_cases, r.tongban_cases) == (1, 1)
    assert r.drill["decision:normal"] == ("C1", "C5")
    assert r.drill["proxy"] == ("C1",) and r.drill["tongban"] == ("C3",)


def test_supplements_on_time_ratings_appointments(day_store: Store) -> None:
    r = report_of(day_store)
    assert r.drill["supplement_due"] == ("C8",)
    # C6's deadline passed two days ago, C8's at the close of D; C7 was supplied.
    assert r.drill["supplement_overdue"] == ("C6", "C8")
    assert (r.concluded, r.concluded_on_time, r.on_time_rate) == (2, 1, 0.5)
    assert r.drill["late"] == ("C9",)
    assert (r.ratings_total, r.ratings_good, r.ratings_bad, r.good_rate) == (4, 2, 1, 0.5)
    assert {row.key: row.count for row in r.by_level} == {"5": 1, "4": 1, "3": 1, "2": 1, "1": 0}
    assert r.drill["rating_bad"] == ("C5",)
    assert "号票 A002" in r.drill["ratings"]
    assert r.follow_ups_opened == 1
    assert (r.appointments_booked, r.appointments_kept, r.appointments_missed) == (3, 1, 1)


def test_report_run_on_the_day_itself_does_not_call_todays_deadline_overdue(day_store: Store) -> None:
    r = report_of(day_store, today=D)
    assert r.drill["supplement_overdue"] == ("C6",)


def test_range_adds_the_previous_day(day_store: Store) -> None:
    r = report_of(day_store, start=D - dt.timedelta(days=1), end=D)
    assert r.tickets_issued == 7  # yesterday's A001 had no print event but is done: it was printed
    assert r.ratings_total == 5 and r.ratings_bad == 2
    assert r.concluded == 3


def test_empty_day_has_no_rates(day_store: Store) -> None:
    r = report_of(day_store, start=D + dt.timedelta(days=1))
    assert r.tickets_issued == 0 and r.cases_total == 0
    assert r.good_rate is None and r.on_time_rate is None and r.wait_avg_s is None
    assert ("按时办结率", "—", "") in r.summary()


def test_bad_range_and_unknown_hall_are_refused(sqlite_store: Store) -> None:
    build_day(sqlite_store)
    with sqlite_store.read() as session:
        with pytest.raises(ValidationError, match="结束日期") as err:
            daily_report(session, start=D, end=D - dt.timedelta(days=1), clock=CLOCK)
        assert err.value.field == "to"
        with pytest.raises(ValidationError, match="大厅不存在"):
            daily_report(session, start=D, hall_code="999999", clock=CLOCK)


def test_drill_down_lines_mask_the_applicant(sqlite_store: Store) -> None:
    build_day(sqlite_store)
    with sqlite_store.read() as session:
        lines = case_lines(session, ["C5", "C4", "号票 A002"])
    assert [line.case_no for line in lines] == ["C5", "C4", "号票 A002"]
    assert lines[0].applicant == "张**" and lines[0].matter_name == "最低生活保障申请"
    assert lines[0].state == "已办结（准予）" and lines[1].decision == "不予受理"
    assert lines[2].matter_name == "（未受理办件的号票）"


def test_xlsx_reads_back(sqlite_store: Store, tmp_path: Path) -> None:
    build_day(sqlite_store)
    r = report_of(sqlite_store)
    path = tmp_path / "r.xlsx"
    path.write_bytes(to_xlsx(r))
    wb = load_workbook(path)
    overview = {row[0]: row[1] for row in wb["概览"].iter_rows(min_row=3, values_only=True)}
    assert overview["取号数（已出票）"] == 6
    assert overview["容缺受理"] == 1
    assert overview["好评率"] == "50.0%"
    assert [tuple(row) for row in wb["按窗口"].iter_rows(values_only=True)] == [
        ("窗口", "件数"), ("1 号窗口", 2), ("2 号窗口", 3)]


def test_pdf_has_chinese_text(sqlite_store: Store, tmp_path: Path) -> None:
    build_day(sqlite_store)
    path = tmp_path / "r.pdf"
    path.write_bytes(to_pdf(report_of(sqlite_store)))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "四子王旗政务服务中心 业务统计日报（2026-03-10）" in text
    assert "按时办结率" in text and "50.0%" in text
    assert "最低生活保障申请（M3）" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    lines = fonts.splitlines()[2:]
    assert any("WenQuanYiMicroHei" in line for line in lines)
    assert all(line.split()[-5] == "yes" for line in lines)  # every font embedded: prints the same anywhere


def test_cli_json_and_exports(sqlite_store: Store, sqlite_url: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    build_day(sqlite_store)
    assert run_group("report", ["daily", "--db", sqlite_url, "--date", D.isoformat(), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tickets"]["issued"] == 6 and data["cases"]["total"] == 5
    assert data["drill"]["decision:refused"] == ["C4"]
    out = tmp_path / "out" / "day.xlsx"
    assert run_group("report", ["daily", "--db", sqlite_url, "--date", D.isoformat(), "--xlsx", str(out)]) == 0
    assert out.exists() and load_workbook(out)["概览"]["A1"].value.startswith("四子王旗")
    assert run_group("report", ["daily", "--db", sqlite_url, "--date", D.isoformat()]) == 0
    assert "容缺受理：1" in capsys.readouterr().out


def test_cli_rejects_bad_dates(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_group("report", ["daily", "--db", sqlite_url, "--date", "2026-13-01"])
    assert exit_info.value.code == 2
    assert "日期格式应为 YYYY-MM-DD" in capsys.readouterr().err
    code = run_group("report", ["daily", "--db", sqlite_url, "--date", "2026-03-10", "--to", "2026-03-01"])
    assert code == 1
    assert capsys.readouterr().err.strip() == "错误：结束日期 2026-03-01 早于开始日期 2026-03-10"
