"""Case lookup on its own: finding by 受理编号 (with the spaces it is read aloud with), ID number and name; the
next actions each state offers; 邮寄, 终止 and 补打 through the real widgets."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cases import AcceptRequest, ApplicantInput, accept, speak_case_no
from app.cases.service import material_states
from app.catalog.store import current_catalog
from app.store import Store
from app.store.models import Case
from tests.hall_clock import CLOCK
from tests.ui._counter_kit import APPLICANT_ID, LOAN, OTHER_ID, demo_ctx, type_text
from ui.context import AppContext
from ui.counter_lookup import LookupPanel


@pytest.fixture
def ctx(tmp_path: Path, store: Store) -> AppContext:
    return demo_ctx(tmp_path, store)


def make_case(ctx: AppContext, *, name: str, id_no: str, deferred: bool = False) -> str:
    with ctx.store.read() as session:
        found = current_catalog(session)
    assert found is not None
    matter = found[1].matter(LOAN)
    assert matter is not None
    states = {m.key: "original" for m in matter.materials if m.condition == "always"}
    if deferred:
        states["income"] = "deferred"
    request = AcceptRequest(request_id=str(uuid.uuid4()), hall_code=ctx.hall_code, window_number=2,
                            matter_code=LOAN, applicant=ApplicantInput(name=name, id_no=id_no),
                            materials=material_states(states), actor="clerk02")
    return accept(ctx.store, request, files_dir=ctx.settings.files_dir, clock=CLOCK).summary.case_no


def open_panel(qtbot: QtBot, ctx: AppContext) -> LookupPanel:
    panel = LookupPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def search(qtbot: QtBot, panel: LookupPanel, text: str) -> None:
    edit = panel.findChild(QLineEdit, "lookupEdit")
    edit.clear()
    type_text(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_case_number_read_aloud_with_spaces_opens_the_case(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx, name="乌云其其格", id_no=APPLICANT_ID, deferred=True)
    panel = open_panel(qtbot, ctx)
    with qtbot.waitSignal(panel.case_shown, timeout=2000) as blocker:
        search(qtbot, panel, speak_case_no(case_no))
    assert blocker.args[0].case_no == case_no
    detail = panel.findChild(QLabel, "caseDetail").text()
    assert case_no in detail and "乌云其其格" in detail and "待补齐容缺材料" in detail
    assert APPLICANT_ID not in detail, "the ID number is masked on screen"
    assert "补齐容缺材料" in panel.findChild(QLabel, "nextActionsHint").text()
    assert panel.case_actions.supplement_box.isVisible() and panel.case_actions.terminate_box.isVisible()
    assert not panel.case_actions.hand_over_box.isVisible()
    history = panel.findChild(type(panel.history), "caseHistory")
    assert history.count() == 1 and "受理" in history.item(0).text() and "clerk02" in history.item(0).text()


def test_name_search_lists_several_and_a_row_opens_one(qtbot: QtBot, ctx: AppContext) -> None:
    first = make_case(ctx, name="巴图", id_no=APPLICANT_ID)
    second = make_case(ctx, name="巴图孟和", id_no=OTHER_ID)
    panel = open_panel(qtbot, ctx)
    search(qtbot, panel, "巴图")
    table = panel.findChild(type(panel.table), "lookupResults")
    assert table.rowCount() == 2
    assert {table.item(r, 0).text() for r in range(2)} == {first, second}
    assert panel.case is None and "选择一件" in panel.findChild(QLabel, "lookupMessage").text()
    row = next(r for r in range(2) if table.item(r, 0).text() == second)
    with qtbot.waitSignal(panel.case_shown, timeout=2000) as blocker:
        table.selectRow(row)
    assert blocker.args[0].case_no == second


def test_unknown_text_says_nothing_found(qtbot: QtBot, ctx: AppContext) -> None:
    panel = open_panel(qtbot, ctx)
    search(qtbot, panel, "2099")
    message = panel.findChild(QLabel, "lookupMessage").text()
    assert message.startswith("没有找到与“2099”相符的办件") and "请核对" in message
    for blank in ("", " - "):  # nothing to search for is not "nothing found"
        search(qtbot, panel, blank)
        assert panel.findChild(QLabel, "lookupMessage").text() == "请输入受理编号、证件号码或姓名"


def test_mail_the_result_after_approval(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx, name="刘建华", id_no=APPLICANT_ID)
    panel = open_panel(qtbot, ctx)
    search(qtbot, panel, case_no)
    with qtbot.waitSignal(panel.action_done, timeout=2000):
        qtbot.mouseClick(panel.findChild(QPushButton, "resultButton"), Qt.MouseButton.LeftButton)
    # A bad tracking number is named; nothing changes.
    type_text(panel.findChild(QLineEdit, "lookupMailAddressEdit"), "内蒙古乌兰察布市四子王旗乌兰花镇富强街 12 号")
    type_text(panel.findChild(QLineEdit, "trackingNoEdit"), "12")
    qtbot.mouseClick(panel.findChild(QPushButton, "mailButton"), Qt.MouseButton.LeftButton)
    assert "邮件号" in panel.findChild(QLabel, "lookupError").text()
    panel.findChild(QLineEdit, "trackingNoEdit").setText("1180123456789")
    with qtbot.waitSignal(panel.action_done, timeout=2000):
        qtbot.mouseClick(panel.findChild(QPushButton, "mailButton"), Qt.MouseButton.LeftButton)
    assert panel.case is not None and panel.case.state == "mailed"
    with ctx.store.read() as session:
        case = session.scalars(select(Case).where(Case.case_no == case_no)).one()
        assert case.tracking_no == "1180123456789" and case.delivery == "mail"


def test_terminate_needs_a_reason(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx, name="张海军", id_no=APPLICANT_ID)
    panel = open_panel(qtbot, ctx)
    search(qtbot, panel, case_no)
    qtbot.mouseClick(panel.findChild(QPushButton, "terminateButton"), Qt.MouseButton.LeftButton)
    assert "原因" in panel.findChild(QLabel, "lookupError").text()
    type_text(panel.findChild(QLineEdit, "terminateReasonEdit"), "申请人撤回申请")
    with qtbot.waitSignal(panel.action_done, timeout=2000):
        qtbot.mouseClick(panel.findChild(QPushButton, "terminateButton"), Qt.MouseButton.LeftButton)
    assert panel.case is not None and panel.case.state == "terminated"
    assert "无（办件已结束）" in panel.findChild(QLabel, "nextActionsHint").text()


def test_reprint_asks_for_the_chosen_document(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx, name="王丽娜", id_no=APPLICANT_ID, deferred=True)
    panel = open_panel(qtbot, ctx)
    search(qtbot, panel, case_no)
    combo = panel.case_actions.reprint_combo
    docs = [combo.itemData(i) for i in range(combo.count())]
    assert docs == ["receipt", "deferral-notice", "deferral-pledge"]
    combo.setCurrentIndex(1)
    with qtbot.waitSignal(panel.reprint_requested, timeout=1000) as blocker:
        qtbot.mouseClick(panel.findChild(QPushButton, "reprintButton"), Qt.MouseButton.LeftButton)
    assert blocker.args == [case_no, ("deferral-notice",)]


def test_clerk_records_a_refusal_result_with_its_note(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx, name="其木格", id_no=APPLICANT_ID)
    panel = open_panel(qtbot, ctx)
    search(qtbot, panel, case_no)
    panel.case_actions.result_combo.setCurrentIndex(panel.case_actions.result_combo.findData("refused"))
    type_text(panel.findChild(QLineEdit, "resultNoteEdit"), "不符合贷款条件")
    with qtbot.waitSignal(panel.action_done, timeout=2000):
        qtbot.mouseClick(panel.findChild(QPushButton, "resultButton"), Qt.MouseButton.LeftButton)
    assert panel.case is not None and panel.case.state == "refused"
    with ctx.store.read() as session:
        case = session.scalars(select(Case).where(Case.case_no == case_no)).one()
        assert case.result == "refused" and case.result_note == "不符合贷款条件"
        assert case.concluded_at is not None


@pytest.mark.parametrize("id_no", [APPLICANT_ID, "H12345678"])
def test_a_slip_and_the_screen_mask_a_number_the_same_way(qtbot: QtBot, ctx: AppContext, id_no: str) -> None:
    """出件单 on paper and the lookup on screen: one mask, and a short number is masked too (it printed whole)."""
    import dataclasses

    from printing import samples
    from printing.slips import pickup_slip
    from tests.printing.pdf_tools import pdf_text

    expected = {APPLICANT_ID: "150929********1234", "H12345678": "H1*******"}[id_no]
    doc = samples.person_normal()
    doc = dataclasses.replace(doc, state="approved", result="approved",
                              applicant=dataclasses.replace(doc.applicant, id_no=id_no))
    paper = pdf_text(pickup_slip(doc))
    assert expected in paper and id_no not in paper

    panel = open_panel(qtbot, ctx)
    shown = panel.findChild(type(panel.table), "lookupResults")
    if id_no == APPLICANT_ID:  # the screen: a case found by the same number lists it masked
        make_case(ctx, name="巴图", id_no=id_no)
        search(qtbot, panel, "巴图")
        texts = [shown.item(0, c).text() for c in range(shown.columnCount())]
        assert expected in texts and id_no not in "".join(texts)
    from app.masking import mask_id

    assert mask_id(id_no) == expected  # what every screen (lookup, card bar, CaseSummary.to_json) shows


def test_the_lookup_says_when_a_deadline_is_paused_or_extended(qtbot: QtBot, ctx: AppContext) -> None:
    """Issue 14: deadlines knew only workdays; the lookup now names a §45 stop (the §42 extension: app tests)."""
    from app.cases.time_rules import stop_clock

    case_no = make_case(ctx, name="乌云其其格", id_no=APPLICANT_ID)
    at = CLOCK.now()
    with ctx.store.write() as session:
        stop_clock(session, case_no=case_no, stop="expert_review", actor="clerk02", at=at, today=CLOCK.day_of(at))
    panel = open_panel(qtbot, ctx)
    with qtbot.waitSignal(panel.case_shown, timeout=2000):
        search(qtbot, panel, case_no)
    detail = panel.findChild(QLabel, "caseDetail").text()
    assert "专家评审，暂停计时" in detail
