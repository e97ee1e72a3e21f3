"""系统管理 through the real dialog and the demo hall: a clerk added there can log in, a window added there is offered
at login, an applicant listed there is refused 容缺; errors appear under the field with the input kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app import auth, excluded, staff
from app.cases.service import current_matter, excluded_reason
from app.checklist import ApplicantFacts, evaluate_checklist
from app.clock import HallClock
from app.demo import DEMO_PASSWORD
from app.errors import CounterError, StateError
from app.queue import call_next, confirm_printed, issue_ticket
from app.store import Store
from app.store.models import ExcludedApplicant
from app.workdays import default_calendar
from tests.hall_clock import CLOCK
from tests.ui._counter_kit import APPLICANT_ID, LOAN, OTHER_ID, demo_ctx, type_text
from ui.admin import AdminDialog, TableTab, open_admin
from ui.admin_forms import FormDialog
from ui.context import AppContext


@pytest.fixture
def ctx(tmp_path: Path, store: Store) -> AppContext:
    return demo_ctx(tmp_path, store, login="admin")


@pytest.fixture
def dialog(qtbot: QtBot, ctx: AppContext) -> AdminDialog:
    opened = open_admin(ctx)
    assert isinstance(opened, AdminDialog)
    qtbot.addWidget(opened)
    return opened


def click(qtbot: QtBot, root: QWidget, name: str) -> None:
    button = root.findChild(QPushButton, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def select(tab: TableTab, text: str) -> None:
    for row in range(tab.table.rowCount()):
        item = tab.table.item(row, 0)
        if item is not None and item.text() == text:
            tab.table.selectRow(row)
            return
    raise AssertionError(f"no row {text!r}")


def column(tab: TableTab, index: int = 0) -> list[str]:
    return [tab.table.item(r, index).text() for r in range(tab.table.rowCount())]


def confirm(qtbot: QtBot, tab: TableTab) -> None:
    box = tab.confirm_box
    assert box is not None and box.isVisible()
    click(qtbot, box, "confirmYesButton")


def form_of(tab: TableTab) -> FormDialog:
    assert tab.form is not None and tab.form.isVisible()
    return tab.form


def error_under(form: FormDialog, field: str) -> str:
    label = form.findChild(QLabel, f"{field}Error")
    assert label is not None
    return label.text() if label.isVisible() else ""


def status(tab: TableTab) -> str:
    return tab.status.text()


# --- opening ---------------------------------------------------------------------------------------------


def test_only_an_admin_can_open_it(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, login="supervisor")
    parent = QWidget()
    qtbot.addWidget(parent)
    assert open_admin(ctx, parent) is None
    box = parent.findChild(QMessageBox, "adminRefusedBox")
    assert box is not None and box.isVisible() and box.text() == "只有系统管理员可以打开系统管理"
    assert parent.findChild(AdminDialog) is None
    box.close()


def test_three_tabs_list_the_demo_hall(dialog: AdminDialog) -> None:
    assert dialog.windowTitle() == "系统管理" and not dialog.isModal() and dialog.isVisible()
    assert [dialog.tabs.tabText(i) for i in range(3)] == ["人员", "窗口", "失信名单"]
    assert "admin" in column(dialog.clerks) and len(column(dialog.clerks)) == 8
    assert column(dialog.windows) == [f"{n} 号" for n in range(1, 9)]
    assert column(dialog.windows, 4)[0] == "全部 10 类业务" and column(dialog.windows, 4)[2] == "A 社保医保、J 公积金"
    assert dialog.excluded.table.rowCount() == 0
    assert dialog.width() <= 1366 and dialog.height() <= 768


# --- clerks ------------------------------------------------------------------------------------------------


def fill_clerk(form: FormDialog, username: str, name: str, password: str, confirm_with: str | None = None) -> None:
    for field, text in (("usernameEdit", username), ("nameEdit", name), ("passwordEdit", password),
                        ("confirmEdit", password if confirm_with is None else confirm_with)):
        edit = form.findChild(QWidget, field)
        edit.clear()
        type_text(edit, text)


def test_a_clerk_added_in_the_dialog_can_log_in(qtbot: QtBot, dialog: AdminDialog, store: Store) -> None:
    tab = dialog.clerks
    click(qtbot, tab, "addClerkButton")
    form = form_of(tab)
    fill_clerk(form, "clerk07", "苏和", "Brand-new-456")
    form.findChild(QWidget, "roleCombo").setCurrentIndex(1)  # 大厅负责人
    QTest.keyClick(form.findChild(QWidget, "confirmEdit"), Qt.Key.Key_Return)  # keyboard: Enter saves
    assert not form.isVisible()
    assert status(tab) == "已添加 苏和（clerk07）"
    assert tab.selected().username == "clerk07" and tab.selected().role_label == "大厅负责人"
    assert auth.authenticate(store, "clerk07", "Brand-new-456", host="t", clock=CLOCK).role == "supervisor"


def test_clerk_form_errors_stay_under_their_field_with_the_input_kept(qtbot: QtBot, dialog: AdminDialog) -> None:
    tab = dialog.clerks
    click(qtbot, tab, "addClerkButton")
    form = form_of(tab)
    fill_clerk(form, "clerk07", "苏和", "short")
    click(qtbot, form, "formSaveButton")
    assert form.isVisible() and error_under(form, "password") == "密码太短：至少 8 位"
    assert form.findChild(QWidget, "usernameEdit").text() == "clerk07"
    assert form.findChild(QWidget, "nameEdit").text() == "苏和"
    fill_clerk(form, "clerk07", "苏和", "Brand-new-456", confirm_with="Brand-new-457")
    click(qtbot, form, "formSaveButton")
    assert error_under(form, "confirm") == "两次输入的密码不一致" and error_under(form, "password") == ""
    fill_clerk(form, "clerk01", "苏和", "Brand-new-456")
    click(qtbot, form, "formSaveButton")
    assert error_under(form, "username") == "用户名已被使用：clerk01" and form.isVisible()
    assert len(column(tab)) == 8


def test_disabling_asks_first_and_the_admin_cannot_disable_themselves(qtbot: QtBot, dialog: AdminDialog,
                                                                       store: Store) -> None:
    tab = dialog.clerks
    select(tab, "admin")
    click(qtbot, tab, "toggleClerkButton")
    confirm(qtbot, tab)
    assert status(tab) == "不能停用自己的账号：请由另一位系统管理员操作"
    assert tab.status.property("role") == "error"
    select(tab, "clerk01")
    click(qtbot, tab, "toggleClerkButton")
    click(qtbot, tab.confirm_box, "confirmCancelButton")  # cancelled: nothing happens
    assert tab.selected().active
    click(qtbot, tab, "toggleClerkButton")
    confirm(qtbot, tab)
    assert status(tab) == "已停用 其木格（clerk01）"
    assert not tab.selected().active and tab.toggle_button.text().startswith("启用")
    with pytest.raises(StateError, match="已停用"):
        auth.authenticate(store, "clerk01", DEMO_PASSWORD, host="t", clock=CLOCK)
    click(qtbot, tab, "toggleClerkButton")  # enabling needs no confirmation
    assert tab.selected().active
    assert auth.authenticate(store, "clerk01", DEMO_PASSWORD, host="t", clock=CLOCK).username == "clerk01"


def test_the_admin_cannot_demote_themselves_in_the_form(qtbot: QtBot, dialog: AdminDialog) -> None:
    tab = dialog.clerks
    select(tab, "admin")
    click(qtbot, tab, "editClerkButton")
    form = form_of(tab)
    assert form.findChild(QWidget, "usernameEdit").isReadOnly()
    form.findChild(QWidget, "roleCombo").setCurrentIndex(0)
    click(qtbot, form, "formSaveButton")
    assert error_under(form, "role") == "不能取消自己的系统管理员角色：请由另一位系统管理员操作"


def test_unlock_and_reset_password(qtbot: QtBot, dialog: AdminDialog, store: Store) -> None:
    for _ in range(5):
        with pytest.raises(CounterError):
            auth.authenticate(store, "clerk02", "wrong-password", host="t", clock=CLOCK)
    tab = dialog.clerks
    tab.reload()
    select(tab, "clerk02")
    assert "已锁定" in tab.table.item(tab.table.currentRow(), 4).text()
    click(qtbot, tab, "unlockClerkButton")
    assert status(tab) == "已解锁 巴特尔（clerk02）" and not tab.unlock_button.isEnabled()
    assert auth.authenticate(store, "clerk02", DEMO_PASSWORD, host="t", clock=CLOCK).username == "clerk02"
    click(qtbot, tab, "resetPasswordButton")
    form = form_of(tab)
    type_text(form.findChild(QWidget, "passwordEdit"), "Brand-new-456")
    type_text(form.findChild(QWidget, "confirmEdit"), "Brand-new-456")
    click(qtbot, form, "formSaveButton")
    assert not form.isVisible() and status(tab) == "已重置 巴特尔（clerk02）的密码"
    assert auth.authenticate(store, "clerk02", "Brand-new-456", host="t", clock=CLOCK).username == "clerk02"


# --- windows -----------------------------------------------------------------------------------------------


def test_a_window_added_in_the_dialog_is_offered_at_login(qtbot: QtBot, dialog: AdminDialog, store: Store) -> None:
    tab = dialog.windows
    dialog.tabs.setCurrentWidget(tab)
    click(qtbot, tab, "addWindowButton")
    form = form_of(tab)
    assert form.findChild(QWidget, "numberSpin").value() == 9  # the first free number
    assert form.findChild(QWidget, "category_A").text() == "A 社保医保"
    click(qtbot, form, "formSaveButton")
    assert error_under(form, "name") == "请填写窗口名称"
    type_text(form.findChild(QWidget, "windowNameEdit"), "帮办代办")
    click(qtbot, form, "formSaveButton")
    assert error_under(form, "categories") == "请至少选择一个业务类别" and error_under(form, "name") == ""
    form.findChild(QWidget, "category_G").setChecked(True)
    form.findChild(QWidget, "category_F").setChecked(True)
    click(qtbot, form, "formSaveButton")
    assert not form.isVisible() and status(tab) == "已添加 9 号窗口 · 帮办代办"
    with store.read() as session:
        offered = {w.number: w for w in auth.hall_windows(session, "150929")}
    assert offered[9].name == "帮办代办" and offered[9].categories == ("F", "G")


def test_a_window_s_mongolian_name_is_edited_in_the_dialog(qtbot: QtBot, dialog: AdminDialog, store: Store) -> None:
    """The demo's 6 号窗口 carries its category's Mongolian name; Chinese in that field is refused under it, and
    a cleared field stores "" (the display then shows only "6 dugar čongqu")."""
    from app.catalog.loader import load_catalog

    tab = dialog.windows
    select(tab, "6 号")
    click(qtbot, tab, "editWindowButton")
    form = form_of(tab)
    edit = form.findChild(QWidget, "windowNameMnEdit")
    assert edit.text() == load_catalog().categories_mn["D"]
    edit.clear()
    type_text(edit, "不动产")
    click(qtbot, form, "formSaveButton")
    assert "传统蒙古文" in error_under(form, "name_mn") and form.isVisible()
    edit.clear()
    click(qtbot, form, "formSaveButton")
    assert not form.isVisible() and tab.selected().name_mn == ""


def test_a_taken_window_number_is_named(qtbot: QtBot, dialog: AdminDialog) -> None:
    tab = dialog.windows
    click(qtbot, tab, "addWindowButton")
    form = form_of(tab)
    form.findChild(QWidget, "numberSpin").setValue(3)
    type_text(form.findChild(QWidget, "windowNameEdit"), "重复")
    form.findChild(QWidget, "category_A").setChecked(True)
    click(qtbot, form, "formSaveButton")
    assert error_under(form, "number") == "本大厅已有 3 号窗口" and form.isVisible()


def test_editing_a_window_and_closing_one_that_calls_a_ticket(qtbot: QtBot, dialog: AdminDialog,
                                                               store: Store) -> None:
    tab = dialog.windows
    select(tab, "6 号")
    click(qtbot, tab, "editWindowButton")
    form = form_of(tab)
    assert form.findChild(QWidget, "category_D").isChecked() and not form.findChild(QWidget, "numberSpin").isEnabled()
    form.findChild(QWidget, "category_E").setChecked(True)
    click(qtbot, form, "formSaveButton")
    assert tab.selected().categories == ("D", "E")
    clock = dialog.windows.ctx.clock
    ticket = confirm_printed(store, issue_ticket(store, hall_code="150929", category="D", clock=clock).id, clock=clock)
    call_next(store, hall_code="150929", window_number=6, request_id="admin-test", clock=clock)
    click(qtbot, tab, "toggleWindowButton")
    confirm(qtbot, tab)
    assert status(tab).startswith(f"6 号窗口正在叫号 {ticket.code}") and tab.selected().active
    select(tab, "7 号")
    click(qtbot, tab, "toggleWindowButton")
    confirm(qtbot, tab)
    assert status(tab) == "已停用 7 号窗口 · 户籍证件 · 民政救助" and not tab.selected().active
    with store.read() as session:
        assert 7 not in {w.number for w in auth.hall_windows(session, "150929")}


# --- the excluded list -------------------------------------------------------------------------------------


def test_an_applicant_listed_in_the_dialog_is_refused_deferral(qtbot: QtBot, dialog: AdminDialog,
                                                                 store: Store) -> None:
    tab = dialog.excluded
    dialog.tabs.setCurrentWidget(tab)
    click(qtbot, tab, "addExcludedButton")
    form = form_of(tab)
    type_text(form.findChild(QWidget, "excludedIdEdit"), APPLICANT_ID)
    assert "居民身份证" in form.findChild(QLabel, "excludedIdHint").text()
    type_text(form.findChild(QWidget, "reasonEdit"), "虚假承诺（2026-03 不动产登记）")
    QTest.keyClick(form.findChild(QWidget, "reasonEdit"), Qt.Key.Key_Return)
    assert not form.isVisible() and status(tab) == f"已列入失信名单：{APPLICANT_ID}"
    assert column(tab) == [APPLICANT_ID] and column(tab, 1) == ["本地"]
    with store.read() as session:
        reason = excluded_reason(session, APPLICANT_ID)
        found = current_matter(session, LOAN)
    assert reason == "虚假承诺（2026-03 不动产登记）" and found is not None
    decision = evaluate_checklist(
        found[1], {"id_card": "original", "contract": "original", "marital": "original", "income": "deferred"},
        applicant=ApplicantFacts(excluded=True, excluded_reason=reason), accepted_on=dt.date(2026, 11, 23),
        calendar=default_calendar())
    assert decision.outcome == "supplement"
    assert any("失信" in r and "不能容缺受理" in r for r in decision.reasons)


def test_a_bad_id_number_is_named_under_the_field(qtbot: QtBot, dialog: AdminDialog) -> None:
    tab = dialog.excluded
    click(qtbot, tab, "addExcludedButton")
    form = form_of(tab)
    wrong = APPLICANT_ID[:-1] + ("5" if APPLICANT_ID[-1] != "5" else "6")
    type_text(form.findChild(QWidget, "excludedIdEdit"), wrong)
    type_text(form.findChild(QWidget, "reasonEdit"), "虚假承诺")
    click(qtbot, form, "formSaveButton")
    assert error_under(form, "id_no").startswith("证件号码无效：身份证号码校验位错误：应为")
    assert form.isVisible() and form.findChild(QWidget, "reasonEdit").text() == "虚假承诺"
    assert tab.table.rowCount() == 0


def add_hub_row(store: Store, id_no: str) -> None:
    with store.write() as session:
        session.add(ExcludedApplicant(id_no=id_no, reason="法院失信被执行人", source="hub",
                                      updated_at=CLOCK.now()))


def test_hub_rows_cannot_be_removed_and_local_ones_can(qtbot: QtBot, dialog: AdminDialog, store: Store) -> None:
    add_hub_row(store, OTHER_ID)
    excluded.add_excluded(store, staff.Actor.local_operator("150929"), APPLICANT_ID, "虚假承诺", clock=HallClock())
    tab = dialog.excluded
    tab.reload()
    select(tab, OTHER_ID)
    assert tab.table.item(tab.table.currentRow(), 1).text() == "枢纽下发"
    assert not tab.remove_button.isEnabled() and "县级枢纽" in tab.remove_button.toolTip()
    dialog.tabs.setCurrentWidget(tab)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    tab.table.setFocus()
    QTest.keyClick(tab.table, Qt.Key.Key_Delete)  # the keyboard way to 移除
    assert "由县级枢纽下发" in status(tab) and tab.status.property("role") == "error"
    assert set(column(tab)) == {OTHER_ID, APPLICANT_ID}
    select(tab, APPLICANT_ID)
    click(qtbot, tab, "removeExcludedButton")
    confirm(qtbot, tab)
    assert status(tab) == f"已从失信名单移除：{APPLICANT_ID}" and column(tab) == [OTHER_ID]


def test_search_waits_for_typing_to_pause(qtbot: QtBot, dialog: AdminDialog, store: Store) -> None:
    add_hub_row(store, OTHER_ID)
    excluded.add_excluded(store, staff.Actor.local_operator("150929"), APPLICANT_ID, "虚假承诺", clock=HallClock())
    tab = dialog.excluded
    tab.reload()
    with qtbot.waitSignal(tab.loaded, timeout=2000) as blocker:
        type_text(tab.search, "虚假")
    assert blocker.args == [1] and column(tab) == [APPLICANT_ID]


def test_csv_import_reports_each_row(qtbot: QtBot, dialog: AdminDialog, store: Store, tmp_path: Path) -> None:
    add_hub_row(store, OTHER_ID)
    path = tmp_path / "名单.csv"
    path.write_bytes(f"证件号码,原因\r\n{APPLICANT_ID},虚假承诺\r\n{OTHER_ID},本地想改\r\n12345,虚假承诺\r\n"
                     .encode("gb18030"))
    tab = dialog.excluded
    dialog.tabs.setCurrentWidget(tab)
    click(qtbot, tab, "importExcludedButton")
    chooser = tab.file_dialog
    assert chooser is not None and chooser.isVisible()
    chooser.selectFile(str(path))
    chooser.accept()
    assert status(tab) == "导入完成：新增 1 条，更新 0 条，失败 2 条" and tab.status.property("role") == "error"
    result = tab.import_result.toPlainText().splitlines()
    assert tab.import_result.isVisible() and result[0] == status(tab)
    assert result[1].startswith("第 3 行，证件号码：") and "县级枢纽" in result[1]
    assert result[2].startswith("第 4 行，证件号码：证件号码无效")
    assert set(column(tab)) == {APPLICANT_ID, OTHER_ID}


def test_the_halls_bilingual_choice_is_set_on_the_windows_tab_and_audited(qtbot: QtBot, dialog: AdminDialog,
                                                                          ctx: AppContext, store: Store) -> None:
    from PySide6.QtWidgets import QCheckBox
    from sqlalchemy import select as sql_select

    from app.queue.common import hall_bilingual
    from app.store.models import AuditEvent

    tab = dialog.windows
    dialog.tabs.setCurrentWidget(tab)
    check = tab.findChild(QCheckBox, "hallBilingualCheck")
    assert check is not None and check.isChecked()  # the region's default: bilingual
    check.setChecked(False)
    qtbot.waitUntil(lambda: status(tab) == "本大厅已设为只用汉文")
    with store.read() as session:
        assert hall_bilingual(session, "150929") is False
        [row] = session.scalars(sql_select(AuditEvent).where(AuditEvent.action == "hall.bilingual")).all()
        assert row.actor == "admin" and row.detail == {"from": True, "to": False}
    reopened = open_admin(ctx)
    assert isinstance(reopened, AdminDialog)
    qtbot.addWidget(reopened)
    again = reopened.windows.findChild(QCheckBox, "hallBilingualCheck")
    qtbot.waitUntil(lambda: again is not None and not again.isChecked())  # read back from the store


def test_only_an_administrator_changes_the_halls_bilingual_choice(store: Store, ctx: AppContext) -> None:
    supervisor = staff.Actor(name="zhang", hall_code="150929", role="supervisor")
    with pytest.raises(CounterError, match="设置大厅蒙汉双语"):
        staff.set_hall_bilingual(store, supervisor, False, clock=ctx.clock)
