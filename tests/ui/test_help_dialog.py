"""登记帮办代办 from the counter's 菜单: a real dialog writing a real help record (issue 18)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cases.service import ProxyInput, accept_case
from app.store.models import HelpRecord
from tests.app._case_kit import pension_request, person_id, prepare
from tests.ui._counter_kit import demo_ctx, demo_store
from ui.counter import CounterWindow
from ui.help_dialog import HelpDialog


def test_the_menu_opens_the_dialog_and_saving_records_help(qtbot: QtBot, tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    ctx = demo_ctx(tmp_path, store, login="clerk01")
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.menu.actions["helpAction"].trigger()
    dialog = window.menu.dialogs["help"]
    assert isinstance(dialog, HelpDialog) and dialog.isVisible()
    assert dialog.helper_edit.text() == ctx.clerk.name  # type: ignore[union-attr]
    # Nothing named: the dialog stays open and says what to fill in.
    assert dialog.save() is None
    assert dialog.isVisible() and "受理编号" in dialog.error_label.text()
    dialog.matter_edit.setText("城乡居民养老保险参保登记")
    dialog.applicant_edit.setText("其其格")
    dialog.note_edit.setText("帮助填写申请表")
    view = dialog.save()
    assert view is not None and not dialog.isVisible()
    assert dialog.save() is not None  # a second 保存 of the same form is the same record
    with store.read() as session:
        [row] = session.scalars(select(HelpRecord))
    assert (row.mode, row.matter_name, row.helper, row.note) == ("assisted", "城乡居民养老保险参保登记",
                                                                  ctx.clerk.name, "帮助填写申请表")  # type: ignore[union-attr]


def test_on_behalf_needs_a_case_with_the_agent_registered(qtbot: QtBot, tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    ctx = demo_ctx(tmp_path, store, login="clerk01")
    prepare(store)
    proxied = accept_case(store, pension_request(proxy=ProxyInput(name="巴特尔", id_no=person_id(7, "19700505"))),
                          files_dir=tmp_path, clock=ctx.clock).case_no
    own = accept_case(store, pension_request(id_no=person_id(8)), files_dir=tmp_path, clock=ctx.clock).case_no
    dialog = HelpDialog(ctx, case_no=own)
    qtbot.addWidget(dialog)
    dialog.mode_combo.setCurrentIndex(dialog.mode_combo.findData("on_behalf"))
    assert dialog.save() is None and "未登记代办人" in dialog.error_label.text()
    dialog.case_edit.setText(proxied)
    view = dialog.save()
    assert view is not None and view.agent_name and view.case_no == proxied
