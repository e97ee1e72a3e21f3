"""The whole counter flow driven through the real widgets (found by objectName) on a seeded demo hall:
正常受理, 容缺受理, 告知承诺, 补正告知 (then 补正 from the lookup, the same case), 不予受理 on a picked ground,
当场更正, the in-person rule, then 补正 and 出件 from the lookup tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.store import Store
from app.store.models import Attachment, AuditEvent, Case, CaseMaterial, ExcludedApplicant, Outbox
from tests.hall_clock import CLOCK
from tests.ui._counter_kit import (
    APPLICANT_ID,
    LOAN,
    OTHER_ID,
    PROXY_ID,
    HeldRunner,
    demo_ctx,
    type_text,
)
from ui.context import AppContext
from ui.counter import CounterWindow


@pytest.fixture
def ctx(tmp_path: Path, store: Store) -> AppContext:
    return demo_ctx(tmp_path, store)


def open_counter(qtbot: QtBot, ctx: AppContext) -> CounterWindow:
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.intake.resources is not None  # InlineRunner: catalog and calendar loaded in the constructor
    return window


def child(window: CounterWindow, kind: type, name: str):  # type: ignore[no-untyped-def]
    found = window.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name}"
    return found


def fill_applicant(qtbot: QtBot, window: CounterWindow, *, id_no: str = APPLICANT_ID, name: str = "其其格") -> None:
    type_text(child(window, QLineEdit, "idNumberEdit"), id_no)
    type_text(child(window, QLineEdit, "applicantNameEdit"), name)
    type_text(child(window, QLineEdit, "phoneEdit"), "13904740000")


def choose_matter(qtbot: QtBot, window: CounterWindow, query: str = "公积金贷款", code: str = LOAN) -> None:
    edit = child(window, QLineEdit, "matterSearchEdit")
    with qtbot.waitSignal(window.intake.search.results_changed, timeout=2000):
        type_text(edit, query)
    matters = window.intake.search.matters()
    assert code in [m.code for m in matters]
    window.intake.search.results.setCurrentRow([m.code for m in matters].index(code))
    with qtbot.waitSignal(window.intake.search.matter_chosen, timeout=1000):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.intake.matter is not None and window.intake.matter.code == code


def set_state(window: CounterWindow, key: str, state: str) -> None:
    combo = child(window, QComboBox, f"materialState_{key}")
    index = combo.findData(state)
    assert index >= 0, f"{key} offers no {state}"
    combo.setCurrentIndex(index)


def accept_by_click(qtbot: QtBot, window: CounterWindow, button: str = "acceptButton") -> Case:
    target = child(window, QPushButton, button)
    assert target.isEnabled()
    with qtbot.waitSignal(window.intake.case_accepted, timeout=5000) as blocker:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    summary = blocker.args[0].summary
    with window.ctx.store.read() as session:
        case = session.scalars(select(Case).where(Case.case_no == summary.case_no)).one()
        session.expunge(case)
    return case


def banner_title(window: CounterWindow) -> str:
    return child(window, QLabel, "decisionTitle").text()


def test_normal_acceptance_writes_case_outbox_and_audit(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    assert not child(window, QPushButton, "acceptButton").isEnabled()  # nothing decided yet
    fill_applicant(qtbot, window)
    assert "1990年1月1日" in child(window, QLabel, "idNumberMessage").text()
    choose_matter(qtbot, window)
    # Every material starts as 缺; before the clerk has looked at any, the banner gives no verdict.
    assert banner_title(window) == "待核对" and "逐项核对" in child(window, QLabel, "decisionReasons").text()
    combo = child(window, QWidget, "checklistRows").findChildren(QComboBox)[0]  # the first material's state
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemData(i) in ("original", "copy")))
    qtbot.waitUntil(lambda: banner_title(window) == "补正告知")  # the rest still 缺: 补正, never 不予受理
    qtbot.mouseClick(child(window, QPushButton, "allReceivedButton"), Qt.MouseButton.LeftButton)
    assert banner_title(window) == "正常受理"
    assert "承诺办结" in child(window, QLabel, "decisionDeadlines").text()
    assert not child(window, QPushButton, "refuseButton").isEnabled()

    case = accept_by_click(qtbot, window)
    assert case.decision == "normal" and case.state == "accepted"
    assert case.applicant_id_no == APPLICANT_ID and case.applicant_name == "其其格"
    assert case.window_number == 1 and case.clerk_id == ctx.clerk.id  # type: ignore[union-attr]
    with ctx.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Outbox).where(Outbox.case_id == case.id)) == 1
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "case.accept", AuditEvent.target == case.case_no)) == 1
    # The form is fresh for the next applicant, and the status bar names the case.
    assert child(window, QLineEdit, "idNumberEdit").text() == ""
    assert case.case_no in child(window, QLabel, "statusMessage").text()
    assert case.case_no in child(window, QLabel, "lastCaseLabel").text()


def test_deferred_acceptance_sets_supply_deadline(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    set_state(window, "income", "deferred")
    assert banner_title(window) == "容缺受理"
    assert "容缺材料补齐" in child(window, QLabel, "decisionDeadlines").text()
    assert "前补齐" in child(window, QLabel, "due_income").text()
    case = accept_by_click(qtbot, window)
    assert case.decision == "deferred" and case.state == "awaiting_supplement"
    assert case.supplement_due is not None
    with ctx.store.read() as session:
        income = session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id,
                                                            CaseMaterial.key == "income")).one()
    assert income.state == "deferred" and income.due == case.supplement_due


def test_pledge_acceptance(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    set_state(window, "marital", "pledge")
    assert banner_title(window) == "告知承诺"
    case = accept_by_click(qtbot, window)
    assert case.decision == "pledge" and case.state == "accepted"


def test_core_material_missing_gives_supplement_notice_and_the_same_case_is_accepted_on_return(
        qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, auto_print=True)
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    set_state(window, "contract", "missing")
    set_state(window, "id_card", "defective")
    assert banner_title(window) == "补正告知"
    reasons = child(window, QLabel, "decisionReasons").text()
    assert "一次性告知" in reasons and "合同" in reasons and "不符合法定形式" in reasons
    assert not child(window, QPushButton, "refuseButton").isEnabled(), "missing papers are no ground to refuse"
    assert "补正" in child(window, QPushButton, "acceptButton").text()
    with qtbot.waitSignal(window.documents_ready, timeout=20000) as printed:
        case = accept_by_click(qtbot, window)
    assert case.decision == "supplement" and case.state == "awaiting_correction"
    assert {n["key"] for n in case.decision_detail["notice"]} == {"contract", "id_card"}
    assert [d.doc for d in printed.args[0]] == ["supplement-notice"]
    window.print_dialog.close()

    # The applicant comes back: the lookup finds the case and 补正 moves the SAME case on.
    lookup_case(qtbot, window, case.case_no)
    actions = window.lookup.case_actions
    assert actions.correction_box.isVisible() and set(actions.correction_combos) == {"contract", "id_card"}
    with qtbot.waitSignal(window.documents_ready, timeout=20000) as again:
        with qtbot.waitSignal(window.lookup.action_done, timeout=5000):
            qtbot.mouseClick(child(window, QPushButton, "correctionButton"), Qt.MouseButton.LeftButton)
    assert window.lookup.case is not None and window.lookup.case.case_no == case.case_no
    assert window.lookup.case.state == "accepted" and window.lookup.case.summary.decision == "normal"
    assert [d.doc for d in again.args[0]] == ["receipt"]
    window.print_dialog.close()
    with ctx.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_refusal_needs_a_ground_from_the_catalog_and_names_the_authority(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    assert not child(window, QPushButton, "refuseButton").isEnabled()
    combo = child(window, QComboBox, "refusalGroundCombo")
    codes = [combo.itemData(i).code for i in range(1, combo.count())]
    assert codes[:2] == ["no_permit_needed", "not_competent"]
    combo.setCurrentIndex(2)
    authority = child(window, QLineEdit, "competentAuthorityEdit")
    assert authority.isVisible()
    assert banner_title(window) == "无法判定" and "有权受理的行政机关" in child(window, QLabel, "decisionReasons").text()
    type_text(authority, "乌兰察布市住房公积金中心")
    assert banner_title(window) == "不予受理"
    assert not child(window, QPushButton, "acceptButton").isEnabled()
    case = accept_by_click(qtbot, window, "refuseButton")
    assert case.decision == "refused" and case.state == "refused_at_counter"
    assert case.decision_detail["refusal"]["ground"] == "not_competent"
    assert case.decision_detail["competent_office"] == "乌兰察布市住房公积金中心"


def test_an_on_the_spot_correction_is_recorded_on_the_case(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    type_text(child(window, QLineEdit, "correctionItemEdit"), "申请表·联系电话")
    type_text(child(window, QLineEdit, "correctionAfterEdit"), "13904740000")
    qtbot.mouseClick(child(window, QPushButton, "addCorrectionButton"), Qt.MouseButton.LeftButton)
    assert "签名或按指印" in child(window, QLabel, "intakeError").text()  # not initialled: not recorded
    child(window, type(window.intake.correction_initialled), "correctionInitialledCheck").setChecked(True)
    qtbot.mouseClick(child(window, QPushButton, "addCorrectionButton"), Qt.MouseButton.LeftButton)
    assert "申请表·联系电话" in child(window, QLabel, "correctionsLabel").text()
    case = accept_by_click(qtbot, window)
    assert case.decision_detail["corrections"] == [
        {"item": "申请表·联系电话", "before": "", "after": "13904740000", "initialled": True}]


def test_a_matter_done_in_person_refuses_a_proxy_on_screen(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    child(window, type(window.intake.applicant.proxy_check), "proxyCheck").setChecked(True)
    type_text(child(window, QLineEdit, "proxyNameEdit"), "王小红")
    type_text(child(window, QLineEdit, "proxyIdEdit"), PROXY_ID)
    choose_matter(qtbot, window, "结婚登记", "150929-MZ-004")
    window.intake.checklist.mark_all_received()
    assert banner_title(window) == "无法判定"
    assert "须申请人本人到场办理" in child(window, QLabel, "decisionReasons").text()
    assert not child(window, QPushButton, "acceptButton").isEnabled()
    assert not child(window, QPushButton, "refuseButton").isEnabled()


def test_organisation_with_proxy_records_both(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    child(window, type(window.intake.applicant.organisation_radio), "organisationModeRadio").setChecked(True)
    type_text(child(window, QLineEdit, "idNumberEdit"), "91150929MA0N00000A")
    assert window.intake.applicant.id_edit.is_acceptable(), window.intake.applicant.id_edit.message
    type_text(child(window, QLineEdit, "applicantNameEdit"), "四子王旗草原牧业有限公司")
    type_text(child(window, QLineEdit, "legalRepEdit"), "包金山")
    child(window, type(window.intake.applicant.proxy_check), "proxyCheck").setChecked(True)
    type_text(child(window, QLineEdit, "proxyNameEdit"), "王小红")
    type_text(child(window, QLineEdit, "proxyIdEdit"), PROXY_ID)
    choose_matter(qtbot, window, "食品经营", "150929-SJ-004")
    assert "proxy_auth" in window.intake.checklist.keys()  # the proxy's papers now apply
    window.intake.checklist.mark_all_received()
    case = accept_by_click(qtbot, window)
    assert case.applicant_kind == "organisation" and case.legal_rep == "包金山"
    assert case.proxy is not None and case.proxy["id_no"] == PROXY_ID


def test_bad_input_is_named_next_to_the_field(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    type_text(child(window, QLineEdit, "idNumberEdit"), APPLICANT_ID[:-1] + "9")  # wrong check digit
    assert window.intake.applicant.id_edit.state == "invalid"
    assert "校验" in child(window, QLabel, "idNumberMessage").text()
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    qtbot.mouseClick(child(window, QPushButton, "acceptButton"), Qt.MouseButton.LeftButton)
    assert "证件号码有误" in child(window, QLabel, "applicantError").text()
    with ctx.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
    # Fix the number but leave the name empty: the name is named next.
    window.intake.applicant.id_edit.clear()
    type_text(child(window, QLineEdit, "idNumberEdit"), APPLICANT_ID)
    qtbot.mouseClick(child(window, QPushButton, "acceptButton"), Qt.MouseButton.LeftButton)
    assert "姓名" in child(window, QLabel, "applicantError").text()


def test_double_click_writes_one_case(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    runner = HeldRunner()
    ctx = demo_ctx(tmp_path, store, runner=runner)
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    runner.release()  # catalog + calendar
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    button = child(window, QPushButton, "acceptButton")
    assert not button.isEnabled(), "no 受理 while the service is still deciding"
    assert runner.release() >= 1  # the decision
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled(), "the button is off while the accept runs"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    window.intake.submit(refuse=False)  # the Ctrl+Enter path too
    with qtbot.waitSignal(window.intake.case_accepted, timeout=5000):
        assert runner.release() >= 1
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_scan_attachment_is_stored_with_the_case(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    scan = tmp_path / "合同扫描.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned contract\n")
    window = open_counter(qtbot, ctx)
    window.intake.checklist._pick = lambda _parent, _name: str(scan)  # the file dialog's answer
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    qtbot.mouseClick(child(window, QPushButton, "attach_contract"), Qt.MouseButton.LeftButton)
    assert child(window, QLabel, "attachments_contract").text() == "合同扫描.pdf"
    case = accept_by_click(qtbot, window)
    with ctx.store.read() as session:
        att = session.scalars(select(Attachment).where(Attachment.case_id == case.id)).one()
    assert att.material_key == "contract" and att.filename == "合同扫描.pdf"
    assert (ctx.settings.files_dir / att.path).read_bytes() == scan.read_bytes()


def lookup_case(qtbot: QtBot, window: CounterWindow, text: str) -> None:
    window.tabs.setCurrentIndex(1)
    edit = child(window, QLineEdit, "lookupEdit")
    edit.clear()
    with qtbot.waitSignal(window.lookup.case_shown, timeout=2000):
        type_text(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_supplement_from_lookup_moves_case_on(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    set_state(window, "income", "deferred")
    case = accept_by_click(qtbot, window)
    lookup_case(qtbot, window, case.case_no)
    assert window.lookup.case is not None and window.lookup.case.state == "awaiting_supplement"
    assert child(window, type(window.lookup.case_actions.supplement_box), "supplementBox").isVisible()
    assert window.findChild(type(window.lookup.case_actions.authorized_check), "supplement_income").isChecked()
    with qtbot.waitSignal(window.lookup.action_done, timeout=2000):
        qtbot.mouseClick(child(window, QPushButton, "supplementButton"), Qt.MouseButton.LeftButton)
    assert window.lookup.case.state == "accepted"
    history = window.lookup.history
    assert any("补交容缺材料" in history.item(i).text() for i in range(history.count()))
    with ctx.store.read() as session:
        income = session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id,
                                                            CaseMaterial.key == "income")).one()
    assert income.supplied_at is not None


def test_result_then_hand_over_checks_the_collector(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    case = accept_by_click(qtbot, window)
    # Find it by the applicant's ID number this time.
    lookup_case(qtbot, window, APPLICANT_ID)
    assert window.lookup.case is not None and window.lookup.case.case_no == case.case_no
    assert not window.lookup.case_actions.hand_over_box.isVisible()  # nothing to hand over before the result
    with qtbot.waitSignal(window.lookup.action_done, timeout=2000):
        qtbot.mouseClick(child(window, QPushButton, "resultButton"), Qt.MouseButton.LeftButton)
    assert window.lookup.case.state == "approved"
    assert window.lookup.case_actions.hand_over_box.isVisible()

    # A stranger without an 授权委托书 is refused, and nothing changes.
    type_text(child(window, QLineEdit, "collectorIdEdit"), OTHER_ID)
    qtbot.mouseClick(child(window, QPushButton, "handOverButton"), Qt.MouseButton.LeftButton)
    assert "授权委托书" in child(window, QLabel, "lookupError").text()
    assert window.lookup.case.state == "approved"

    window.lookup.case_actions.collector_id_edit.clear()
    type_text(child(window, QLineEdit, "collectorIdEdit"), APPLICANT_ID)
    with qtbot.waitSignal(window.lookup.action_done, timeout=2000):
        qtbot.mouseClick(child(window, QPushButton, "handOverButton"), Qt.MouseButton.LeftButton)
    assert window.lookup.case.state == "handed_over"
    assert "已出件" in child(window, QLabel, "caseDetail").text()
    with ctx.store.read() as session:
        assert session.scalars(select(Case.state).where(Case.id == case.id)).one() == "handed_over"



@pytest.mark.parametrize(
    ("outcome", "expected"),
    [("deferred", ["receipt", "deferral-notice", "deferral-pledge"]), ("supplement", ["supplement-notice"]),
     ("refused", ["refusal"])],
)
def test_documents_print_after_the_decision(qtbot: QtBot, tmp_path: Path, store: Store, outcome: str,
                                            expected: list[str]) -> None:
    ctx = demo_ctx(tmp_path, store, auto_print=True)
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    if outcome == "deferred":
        set_state(window, "income", "deferred")
    elif outcome == "supplement":
        set_state(window, "contract", "missing")
    else:
        child(window, QComboBox, "refusalGroundCombo").setCurrentIndex(1)  # 不需要取得行政许可
    with qtbot.waitSignal(window.documents_ready, timeout=20000) as blocker:
        case = accept_by_click(qtbot, window, "refuseButton" if outcome == "refused" else "acceptButton")
    docs = blocker.args[0]
    assert [d.doc for d in docs] == expected
    for d in docs:
        assert d.path.read_bytes()[:5] == b"%PDF-" and case.case_no in str(d.path)
    dialog = window.print_dialog
    assert dialog is not None and dialog.objectName() == "printDialog" and dialog.isVisible()
    dialog.close()


def test_reprint_from_lookup_is_marked(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, auto_print=False)
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    case = accept_by_click(qtbot, window)
    lookup_case(qtbot, window, case.case_no)
    with qtbot.waitSignal(window.documents_ready, timeout=20000) as blocker:
        qtbot.mouseClick(child(window, QPushButton, "reprintButton"), Qt.MouseButton.LeftButton)
    (doc,) = blocker.args[0]
    assert doc.doc == "receipt" and doc.reprint and doc.path.name == "receipt-补打.pdf"
    window.print_dialog.close()


def test_enter_walks_the_form_to_the_checklist(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    id_edit = child(window, QLineEdit, "idNumberEdit")
    id_edit.setFocus()
    type_text(id_edit, APPLICANT_ID)
    qtbot.keyClick(id_edit, Qt.Key.Key_Return)  # as a scanner ends its number
    assert window.focusWidget() is child(window, QLineEdit, "applicantNameEdit")
    type_text(child(window, QLineEdit, "applicantNameEdit"), "其其格")
    for name in ("applicantNameEdit", "phoneEdit", "addressEdit"):
        qtbot.keyClick(child(window, QLineEdit, name), Qt.Key.Key_Return)
    search = child(window, QLineEdit, "matterSearchEdit")
    assert window.focusWidget() is search, "the person's legal-representative field is skipped"
    with qtbot.waitSignal(window.intake.search.results_changed, timeout=2000):
        type_text(search, "公积金贷款")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    first = window.intake.checklist.keys()[0]
    combo = child(window, QComboBox, f"materialState_{first}")
    qtbot.waitUntil(lambda: window.focusWidget() is combo, timeout=2000)


def test_the_banner_shows_what_the_service_decides(qtbot: QtBot, ctx: AppContext) -> None:
    """The screen assembles no decision of its own: an applicant on the excluded list is refused 容缺 on screen
    exactly as 受理 would refuse it, and the banner is the service's answer for the form as it stands."""
    from app.cases.service import preview_decision
    from ui.counter_intake import policy_from

    with ctx.store.write() as session:
        session.add(ExcludedApplicant(id_no=APPLICANT_ID, reason="虚假承诺（2026-03 不动产登记）",
                                      updated_at=CLOCK.now()))
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    set_state(window, "income", "deferred")
    assert banner_title(window) == "补正告知"
    assert "虚假承诺" in child(window, QLabel, "decisionReasons").text()
    resources = window.intake.resources
    assert resources is not None
    service = preview_decision(ctx.store, window.intake.build_request(), accepted_on=ctx.clock.today(),
                               calendar=resources.calendar, policy=policy_from(ctx))
    assert window.intake.decision == service
    case = accept_by_click(qtbot, window)
    assert case.decision == "supplement"


def test_a_shortcut_whose_button_is_off_says_why(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    error = child(window, QLabel, "intakeError")
    with qtbot.waitActive(window):  # shortcuts act in the active window, as at the counter
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert error.text() == "请先选择办理事项"
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    qtbot.mouseClick(child(window, QPushButton, "allReceivedButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: banner_title(window) == "正常受理")
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert "当前结论为“正常受理”，不能不予受理" in error.text() and "不予受理理由" in error.text()
    with window.ctx.store.read() as session:
        assert session.scalars(select(Case)).first() is None, "nothing was recorded"
