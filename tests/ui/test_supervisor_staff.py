"""The supervisor's 人员与窗口 tab (issue 18) over a real store: the figures, drill-down to the cases, the export,
and a screenshot to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget

from app.clock import HallClock
from app.settings import load_settings
from app.store import Store
from tests.app.report_day import HALL, D, at
from tests.app.test_staff_figures import _day, _pauses
from ui.context import AppContext
from ui.supervisor import SupervisorWindow
from ui.supervisor_drill import DrillDialog
from ui.tasks import InlineRunner

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def window(qtbot, sqlite_store: Store) -> SupervisorWindow:  # type: ignore[no-untyped-def]
    _day(sqlite_store)
    _pauses(sqlite_store)
    settings = load_settings()
    settings.hall.code = HALL
    ctx = AppContext(settings=settings, store=sqlite_store, runner=InlineRunner(), clock=HallClock.frozen(at(17, 0)))
    w = SupervisorWindow(ctx)
    qtbot.add_widget(w)
    with qtbot.waitSignal(w.report_loaded):
        w.show_day(D)
    return w


def cells(table: QTableWidget) -> list[list[str]]:
    return [[table.item(i, j).text() for j in range(table.columnCount())] for i in range(table.rowCount())]


def test_the_tab_shows_each_clerk_and_window_and_drills_to_cases(qtbot, window: SupervisorWindow,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path) -> None:
    window.tabs.setCurrentWidget(window.staff)
    assert cells(window.staff.clerks) == [
        ["其木格", "2", "15 分 00 秒", "2 ▸", "50.0%", "1 ▸", "午休 1 次 30 分；系统维护 1 次 10 分"],
        ["巴特尔", "1", "30 分 00 秒", "1 ▸", "100.0%", "0", "午休 1 次 60 分"]]
    assert [r[0] for r in cells(window.staff.windows)] == ["1 号窗口", "2 号窗口"]
    with qtbot.waitSignal(window.drill_opened) as opened:
        window.staff.clerks.itemDoubleClicked.emit(window.staff.clerks.item(0, 5))
    dialog: DrillDialog = opened.args[0]
    qtbot.add_widget(dialog)
    assert [dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())] == ["C-LATE"]
    with qtbot.waitSignal(window.drill_opened) as opened:
        window.staff.windows.itemDoubleClicked.emit(window.staff.windows.item(0, 0))
    both: DrillDialog = opened.args[0]
    qtbot.add_widget(both)
    assert [both.table.item(i, 0).text() for i in range(both.table.rowCount())] == ["C-DONE", "C-LATE"]
    shot = os.environ.get("SUPERVISOR_SCREENSHOT_DIR")
    if shot:  # DISPLAY=:N SUPERVISOR_SCREENSHOT_DIR=... to look at the tab
        window.resize(1280, 600)
        window.show()
        qtbot.wait(200)
        window.grab().save(str(Path(shot) / "supervisor-staff.png"))
