"""§42 延期 and §45 暂停/恢复计时 from the counter's case lookup, through the real widgets: the approving 大厅负责人
picked from the hall's accounts, the 延期告知书 asked for at once, the deadline moved and named on screen."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cases import AcceptRequest, ApplicantInput, accept
from app.cases.service import material_states
from app.catalog.store import current_catalog
from app.store import Store
from app.store.models import Case, CaseEvent, Clerk
from app.workdays import default_calendar
from tests.app._case_kit import PENSION
from tests.hall_clock import on
from tests.ui._counter_kit import APPLICANT_ID, LOAN, demo_ctx, type_text
from ui.context import AppContext
from ui.counter_lookup import LookupPanel
from ui.counter_print import render_case_documents

DAY = dt.date(2026, 11, 23)  # a Monday inside the shipped calendar
CLOCK = on(DAY)


def make_case(ctx: AppContext, matter_code: str = PENSION) -> str:
    """正常受理 of 养老保险待遇 (legal limit 20 working days, so §42 applies) or another matter of the demo hall."""
    with ctx.store.read() as session:
        found = current_catalog(session)
    assert found is not None
    matter = found[1].matter(matter_code)
    assert matter is not None
    states = {m.key: "original" for m in matter.materials if m.condition == "always"}
    request = AcceptRequest(request_id=str(uuid.uuid4()), hall_code=ctx.hall_code, window_number=2,
                            matter_code=matter_code, applicant=ApplicantInput(name="乌云其其格", id_no=APPLICANT_ID),
                            materials=material_states(states), actor="clerk02", accepted_at=CLOCK.now())
    return accept(ctx.store, request, files_dir=ctx.settings.files_dir, clock=CLOCK).summary.case_no


def open_case(qtbot: QtBot, ctx: AppContext, case_no: str) -> LookupPanel:
    panel = LookupPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    edit = panel.findChild(QLineEdit, "lookupEdit")
    type_text(edit, case_no)
    with qtbot.waitSignal(panel.case_shown, timeout=2000):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    return panel


def click(qtbot: QtBot, panel: LookupPanel, name: str) -> None:
    qtbot.mouseClick(panel.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def events(ctx: AppContext, case_no: str, kind: str) -> list[CaseEvent]:
    with ctx.store.read() as session:
        case_id = session.scalars(select(Case.id).where(Case.case_no == case_no)).one()
        return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id,
                                                              CaseEvent.kind == kind)))


@pytest.fixture
def ctx(tmp_path: Path, store: Store) -> AppContext:
    return demo_ctx(tmp_path, store, clock=CLOCK)


def test_a_clerk_extends_with_the_supervisors_approval_and_the_notice_is_asked_for(qtbot: QtBot,
                                                                                 ctx: AppContext) -> None:
    case_no = make_case(ctx)
    with ctx.store.read() as session:
        legal0 = session.scalars(select(Case.legal_due).where(Case.case_no == case_no)).one()
    panel = open_case(qtbot, ctx, case_no)
    actions = panel.case_actions
    assert actions.clock_box.isVisible() and actions.extend_button.isVisible()
    assert "延长办理期限" in panel.findChild(QLabel, "nextActionsHint").text()
    approvers = panel.findChild(QComboBox, "approverCombo")
    assert [approvers.itemData(i) for i in range(approvers.count())] == ["supervisor"]
    assert "赵敏" in approvers.itemText(0)

    click(qtbot, panel, "extendButton")  # no reason: nothing is written, the clerk is told what is missing
    assert "延期理由" in panel.findChild(QLabel, "lookupError").text()
    assert events(ctx, case_no, "extend") == []

    actions.extend_days_spin.setValue(7)
    type_text(panel.findChild(QLineEdit, "extendReasonEdit"), "需实地核查抵押房屋")
    with qtbot.waitSignal(panel.print_requested, timeout=2000) as asked:
        click(qtbot, panel, "extendButton")
    assert asked.args == [case_no, ("extension-notice",)]
    [extend] = events(ctx, case_no, "extend")
    assert extend.detail["approved_by"] == "赵敏" and extend.detail["approved_by_user"] == "supervisor"
    assert extend.detail["days"] == 7 and extend.actor == "clerk01"
    with ctx.store.read() as session:
        legal = session.scalars(select(Case.legal_due).where(Case.case_no == case_no)).one()
    assert legal == default_calendar().add_workdays(legal0, 7)
    # Once only: the extension is no longer offered; the notice can be printed again; the screen says it.
    assert not actions.extend_button.isVisible() and actions.stop_button.isVisible()
    combo = actions.reprint_combo
    assert "extension-notice" in [combo.itemData(i) for i in range(combo.count())]
    assert "经赵敏批准延长 7 个工作日" in panel.findChild(QLabel, "caseDetail").text()
    # The paper the counter prints next (what CounterWindow.print_documents renders for print_requested).
    [doc] = render_case_documents(ctx.store, case_no, ("extension-notice",), out_dir=ctx.settings.data_dir / "docs",
                                  clock=ctx.clock)
    assert doc.pdf.startswith(b"%PDF") and not doc.reprint


def test_an_approver_who_is_no_supervisor_is_refused(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx)
    with ctx.store.write() as session:  # the only 大厅负责人 leaves: nobody may approve
        session.scalars(select(Clerk).where(Clerk.username == "supervisor")).one().active = False
    panel = open_case(qtbot, ctx, case_no)
    approvers = panel.findChild(QComboBox, "approverCombo")
    assert approvers.count() == 1 and "没有大厅负责人" in approvers.itemText(0)
    type_text(panel.findChild(QLineEdit, "extendReasonEdit"), "需专家论证")
    click(qtbot, panel, "extendButton")
    assert "大厅负责人" in panel.findChild(QLabel, "lookupError").text()
    assert events(ctx, case_no, "extend") == []


def test_a_section45_period_stops_and_resumes_the_clock(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx)
    panel = open_case(qtbot, ctx, case_no)
    actions = panel.case_actions
    assert actions.stop_button.isVisible() and not actions.resume_button.isVisible()
    combo = panel.findChild(QComboBox, "stopKindCombo")
    combo.setCurrentIndex(combo.findData("testing"))
    type_text(panel.findChild(QLineEdit, "clockNoteEdit"), "送检测中心")
    with qtbot.waitSignal(panel.action_done, timeout=2000) as done:
        click(qtbot, panel, "stopClockButton")
    assert "检测" in done.args[0]
    assert "检测，暂停计时" in panel.findChild(QLabel, "caseDetail").text()
    assert actions.resume_button.isVisible() and not actions.stop_button.isVisible()
    assert not actions.extend_button.isVisible()  # while stopped, only 恢复计时
    [stop] = events(ctx, case_no, "clock_stop")
    assert stop.detail == {"day": DAY.isoformat(), "stop": "testing", "note": "送检测中心"}
    with qtbot.waitSignal(panel.action_done, timeout=2000):
        click(qtbot, panel, "resumeClockButton")
    [resume] = events(ctx, case_no, "clock_resume")
    assert resume.detail["stop"] == "testing"
    assert actions.stop_button.isVisible() and actions.extend_button.isVisible()


def test_a_matter_counted_in_calendar_days_offers_no_extension(qtbot: QtBot, ctx: AppContext) -> None:
    """公积金贷款: legal limit 15 自然日 — §42's working-day extension does not apply; §45 stops still do."""
    panel = open_case(qtbot, ctx, make_case(ctx, LOAN))
    assert not panel.case_actions.extend_button.isVisible() and panel.case_actions.stop_button.isVisible()


def test_a_closed_case_offers_no_clock_steps(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx)
    panel = open_case(qtbot, ctx, case_no)
    type_text(panel.findChild(QLineEdit, "terminateReasonEdit"), "申请人撤回申请")
    with qtbot.waitSignal(panel.action_done, timeout=2000):
        click(qtbot, panel, "terminateButton")
    assert not panel.case_actions.clock_box.isVisible()
