"""The supervisor's 待办 tab over a real store: 容缺 reminders and a 告知承诺 check found untrue (issue 14)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.cases import accept_case, find_case
from app.clock import HallClock
from app.settings import load_settings
from app.store import Store
from app.store.models import ExcludedApplicant
from tests.app._case_kit import HALL, MONDAY, pension_request, person_id, prepare
from ui.context import AppContext
from ui.supervisor_worklist import WorklistPanel
from ui.tasks import InlineRunner


def test_a_check_found_untrue_from_the_worklist_revokes_the_case(qtbot, sqlite_store: Store,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path) -> None:
    prepare(sqlite_store)
    clock = HallClock.frozen(MONDAY)
    deferred = accept_case(sqlite_store, pension_request(photo="deferred"), files_dir=tmp_path, clock=clock)
    pledged = accept_case(sqlite_store, pension_request(pledge="pledge", id_no=person_id(7)), files_dir=tmp_path,
                          clock=clock)
    settings = load_settings()
    settings.hall.code = HALL
    settings.counter.supplement_remind_workdays = 3  # the photo is due on Thursday, three working days on
    ctx = AppContext(settings=settings, store=sqlite_store, runner=InlineRunner(), clock=clock)
    panel = WorklistPanel(ctx)
    qtbot.add_widget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.reload()
    kinds = {panel.table.item(i, 1).text(): panel.table.item(i, 0).text() for i in range(panel.table.rowCount())}
    assert kinds == {deferred.case_no: "容缺补交临近", pledged.case_no: "待核查"}
    row = next(i for i in range(panel.table.rowCount()) if panel.table.item(i, 1).text() == pledged.case_no)
    assert not panel.false_button.isEnabled()
    panel.table.selectRow(row)
    assert panel.false_button.isEnabled()
    panel.note.setText("经系统核验，申请人已在外省领取养老金")
    with qtbot.waitSignal(panel.recorded):
        qtbot.mouseClick(panel.false_button, Qt.MouseButton.LeftButton)
    with sqlite_store.read() as s:
        view = find_case(s, pledged.case_no)
        listed = s.get(ExcludedApplicant, person_id(7))
    assert view is not None and view.state == "revoked"
    assert listed is not None and listed.kind == "false_pledge"
    assert [panel.table.item(i, 1).text() for i in range(panel.table.rowCount())] == [deferred.case_no]
