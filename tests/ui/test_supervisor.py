"""The supervisor screen over the hand-made day: counts, charts, drill-down, export and the follow-up form."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QTableWidget

from app import ratings
from app.clock import HallClock
from app.settings import load_settings
from app.store import Store
from tests.app.report_day import HALL, D, build_day
from ui.context import AppContext
from ui.supervisor import SupervisorWindow
from ui.supervisor_drill import DrillDialog
from ui.tasks import InlineRunner

LATER = D.replace(day=20)

pytestmark = pytest.mark.date_sensitive  # the board's 今天 and the overdue follow-up depend on the hall's day


@pytest.fixture
def ctx(sqlite_store: Store) -> AppContext:
    build_day(sqlite_store)
    settings = load_settings()
    settings.hall.code = HALL
    return AppContext(settings=settings, store=sqlite_store, runner=InlineRunner(),
                      clock=HallClock.frozen(f"{LATER.isoformat()}T10:00:00+08:00"))


@pytest.fixture
def window(qtbot, ctx: AppContext) -> SupervisorWindow:  # type: ignore[no-untyped-def]
    w = SupervisorWindow(ctx)
    qtbot.add_widget(w)
    with qtbot.waitSignal(w.report_loaded):
        w.show_day(D)
    return w


def table_rows(table: QTableWidget) -> dict[str, str]:
    return {table.item(i, 0).text(): table.item(i, 1).text() for i in range(table.rowCount())}


def test_counts_and_charts_for_the_day(window: SupervisorWindow) -> None:
    summary = table_rows(window.summary)
    assert summary["取号数（已出票）"] == "6"
    assert summary["过号（未到）"] == "2"
    assert summary["平均等候"] == "19 分 00 秒"
    assert summary["容缺受理"] == "1 ▸" and summary["按时办结率"] == "50.0%"
    assert summary["好评率"] == "50.0%"
    assert "四子王旗政务服务中心" in window.hall_label.text() and "2026-03-10" in window.hall_label.text()
    assert table_rows(window.by_window) == {"1 号窗口": "2 ▸", "2 号窗口": "3 ▸"}
    hours = dict(window.hours.values())
    assert (hours["9时"], hours["10时"], hours["11时"]) == (4, 1, 1) and sum(hours.values()) == 6
    assert window.decisions.values() == [("正常受理", 2), ("容缺受理", 1), ("告知承诺", 1), ("不予受理", 1)]
    assert [n for _label, n in window.waits.values()] == [0, 1, 1, 1, 2, 0]


def test_double_click_drills_down_to_masked_cases(qtbot, window: SupervisorWindow) -> None:  # type: ignore[no-untyped-def]
    row = next(i for i in range(window.by_decision.rowCount()) if window.by_decision.item(i, 0).text() == "正常受理")
    item = window.by_decision.item(row, 1)
    with qtbot.waitSignal(window.drill_opened) as opened:
        window.by_decision.itemDoubleClicked.emit(item)
    dialog: DrillDialog = opened.args[0]
    qtbot.add_widget(dialog)
    lines = [[dialog.table.item(i, j).text() for j in range(3)] for i in range(dialog.table.rowCount())]
    assert lines == [["C1", "城乡居民养老保险参保登记", "张**"], ["C5", "最低生活保障申请", "张**"]]
    assert "正常受理：共 2 件" in dialog.heading.text()


def test_range_and_empty_day(qtbot, window: SupervisorWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.report_loaded):
        window.show_day(D.replace(day=9), D)
    assert table_rows(window.summary)["评价数"] == "5 ▸"
    with qtbot.waitSignal(window.report_loaded):
        window.show_day(D.replace(day=11))
    assert table_rows(window.summary)["办件总数"] == "0"
    assert window.open_drill("cases", "办件总数") is None  # nothing behind a zero


def test_bad_range_is_reported_in_the_status_line(qtbot, window: SupervisorWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.load_failed) as failed:
        window.show_day(D, D.replace(day=1))
    assert "早于开始日期" in failed.args[0] and "早于开始日期" in window.status.text()


def test_export_xlsx_and_pdf(qtbot, window: SupervisorWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.exported):
        window.export_to(tmp_path / "day.xlsx", "xlsx")
    assert load_workbook(tmp_path / "day.xlsx")["按人员"]["A2"].value in ("巴特尔", "其木格")
    with qtbot.waitSignal(window.exported):
        window.export_to(tmp_path / "day.pdf", "pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "day.pdf"), "-"], capture_output=True, text=True).stdout
    assert "业务统计日报" in text
    with qtbot.waitSignal(window.export_failed) as failed:
        window.export_to(Path("/proc/no-such-dir/day.xlsx"), "xlsx")
    assert "无法写入报表文件" in failed.args[0]


def test_follow_up_call_back_from_the_screen(qtbot, window: SupervisorWindow, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    panel = window.follow_ups
    assert panel.table.rowCount() == 1 and panel.table.item(0, 1).text() == "C5"
    assert "已逾期" in panel.table.item(0, 7).text()  # due 2026-03-17, today is the 20th
    panel.select_rating(panel.items[0].id)
    panel.by.setText("赵敏")
    panel.save()
    assert "请填写回访情况" in panel.error.text()
    panel.note.setPlainText("已电话致歉并说明整改措施，申请人认可")
    with qtbot.waitSignal(panel.saved):
        panel.save()
    assert panel.table.rowCount() == 0  # only open ones are listed
    panel.only_open.setChecked(False)
    assert panel.table.rowCount() == 1 and panel.table.item(0, 7).text() == "已回访"
    with ctx.store.read() as s:
        done = ratings.list_follow_ups(s, state="done")
    assert [(r.case_no, r.follow_up_by) for r in done] == [("C5", "赵敏")]


def test_csv_button_beside_excel_exports_the_same_tables_neutralised(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv
    import io

    from PySide6.QtWidgets import QFileDialog
    from sqlalchemy import update

    from app.store.models import Clerk

    with ctx.store.write() as s:  # a clerk's name a spreadsheet would run as a formula
        s.execute(update(Clerk).where(Clerk.username == "clerk01").values(name="=1+2"))
    w = SupervisorWindow(ctx)
    qtbot.add_widget(w)
    with qtbot.waitSignal(w.report_loaded):
        w.show_day(D)
    w.show()
    xlsx, csv_g, pdf = (b.geometry() for b in (w.xlsx_button, w.csv_button, w.pdf_button))
    assert xlsx.right() < csv_g.left() < pdf.left() and xlsx.top() == csv_g.top()  # next to 导出 Excel
    asked: list[str] = []

    def save_as(_parent, _title, suggested, pattern):  # type: ignore[no-untyped-def]  # the OS file dialog
        asked.append(pattern)
        assert suggested.endswith(".csv")
        return str(tmp_path / "day.csv"), pattern

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    with qtbot.waitSignal(w.exported):
        w.csv_button.click()
    assert "*.csv" in asked[0] and "已导出" in w.status.text()
    raw = (tmp_path / "day.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads the Chinese
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    flat = [cell for row in rows for cell in row]
    assert "'=1+2" in flat and "=1+2" not in flat
    assert not [cell for cell in flat if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert ["项目", "数值"] in rows and ["取号数（已出票）", "6"] in rows  # the figures the screen shows
