"""The supervisor's 待办 tab over a real store: 容缺 reminders and a 告知承诺 check found untrue (issue 14)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.cases import accept_case, find_case
from app.clock import HallClock
from app.excluded import listed as listed_entry
from app.settings import load_settings
from app.store import Store
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
        listed = listed_entry(s, person_id(7))
    assert view is not None and view.state == "revoked"
    assert listed is not None and listed.kind == "false_pledge"
    assert [panel.table.item(i, 1).text() for i in range(panel.table.rowCount())] == [deferred.case_no]


def test_a_returned_case_is_resumed_from_the_worklist(qtbot, sqlite_store: Store,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    """The back office's return stops the clock and lists the case; 补正已收到 starts it again from the worklist."""
    import datetime as dt

    from app.cases.time_rules import return_for_supplement
    from app.store.models import CaseEvent

    prepare(sqlite_store)
    clock = HallClock.frozen(MONDAY + dt.timedelta(days=2))
    case = accept_case(sqlite_store, pension_request(), files_dir=tmp_path, clock=HallClock.frozen(MONDAY))
    with sqlite_store.write() as s:
        return_for_supplement(s, case_no=case.case_no, items=["户口簿首页"], note="", actor="hub",
                              at=MONDAY + dt.timedelta(days=1), today=(MONDAY + dt.timedelta(days=1)).date())
    settings = load_settings()
    settings.hall.code = HALL
    ctx = AppContext(settings=settings, store=sqlite_store, runner=InlineRunner(), clock=clock)
    panel = WorklistPanel(ctx)
    qtbot.add_widget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.reload()
    assert [panel.table.item(0, c).text() for c in (0, 1)] == ["后台退回补正", case.case_no]
    assert not panel.resume_button.isEnabled()
    panel.table.selectRow(0)
    assert panel.resume_button.isEnabled() and not panel.false_button.isEnabled()
    with qtbot.waitSignal(panel.resumed) as done:
        qtbot.mouseClick(panel.resume_button, Qt.MouseButton.LeftButton)
    assert done.args == [case.case_no]
    with sqlite_store.read() as s:
        resume = s.query(CaseEvent).filter_by(kind="clock_resume").one()
        view = find_case(s, case.case_no)
    assert resume.detail["day"] == clock.today().isoformat() and resume.detail["note"] == "后台退回的补正材料已收到"
    assert view is not None and any("1 个工作日不计入期限" in n for n in view.time_notes)
    assert panel.table.rowCount() == 0
