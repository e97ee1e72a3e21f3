"""一件事一次办 at the counter: the applicant typed once, the bundle's papers ticked once, every matter's own
decision shown, one click writes a case per matter, and the print preview gets one bundle receipt."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.store import Store
from app.store.models import Case
from tests.ui._counter_kit import demo_ctx
from tests.ui.test_counter_flow import child, fill_applicant, open_counter
from ui.context import AppContext
from ui.counter_bundle import BundleDialog

MATTERS = ["150929-WJ-004", "150929-GA-003", "150929-YB-001", "150929-SB-006"]


@pytest.fixture
def ctx(tmp_path: Path, store: Store) -> AppContext:
    return demo_ctx(tmp_path, store)


def test_a_bundle_is_one_intake_with_a_case_per_matter_and_one_receipt(qtbot: QtBot, tmp_path: Path,
                                                                      store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, auto_print=True)
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    button = child(window, QPushButton, "bundleButton")
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.intake.bundle_dialog
    assert isinstance(dialog, BundleDialog)
    assert dialog.combo.currentText() == "新生儿出生一件事"
    keys = dialog.checklist.keys()
    assert keys.count("parents_ids") == 1  # shared by 出生医学证明 and 出生登记: ticked once
    accept = dialog.findChild(QPushButton, "bundleAcceptButton")
    assert not accept.isEnabled()  # nothing ticked yet
    dialog.checklist.mark_all_received()
    preview = dialog.findChild(QLabel, "bundlePreview").text()
    assert "出生医学证明签发：正常受理" in preview and "社会保障卡申领：正常受理" in preview
    assert accept.isEnabled()
    with qtbot.waitSignal(window.intake.bundle_accepted, timeout=10000) as done, \
            qtbot.waitSignal(window.documents_ready, timeout=10000) as printed:
        qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    docs = printed.args[0]
    bundle_id = done.args[0].bundle_id
    assert [d.doc for d in docs] == ["bundle-receipt"]
    with ctx.store.read() as session:
        cases = session.scalars(select(Case).where(Case.bundle_id == bundle_id)).all()
        assert sorted(c.matter_code for c in cases) == sorted(MATTERS)
        assert len({c.ticket_id for c in cases}) == 1 and len({c.applicant_id_no for c in cases}) == 1
    assert "一件事一次办受理回执" in docs[0].title and docs[0].path.is_file()
    assert window.intake.matter is None and window.intake.applicant.applicant_input().name == ""  # form cleared


def test_untick_a_matter_and_a_missing_paper_gives_that_matter_its_own_decision(qtbot: QtBot,
                                                                                 ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    dialog = window.intake.open_bundle()
    assert isinstance(dialog, BundleDialog)
    dialog.findChild(type(dialog.checks[0]), "bundleMatter_150929-YB-001").setChecked(False)
    dialog.checklist.mark_all_received()
    dialog.checklist.set_state("photo", "deferred")
    preview = dialog.findChild(QLabel, "bundlePreview").text()
    assert "城乡居民基本医疗保险参保登记" not in preview
    assert "社会保障卡申领：容缺受理" in preview and "出生登记（新生儿入户）：正常受理" in preview
    with qtbot.waitSignal(window.intake.bundle_accepted, timeout=10000) as done:
        qtbot.mouseClick(dialog.findChild(QPushButton, "bundleAcceptButton"), Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert [c.summary.matter_code for c in result.cases] == ["150929-WJ-004", "150929-GA-003", "150929-SB-006"]


def test_the_bundle_needs_the_applicant_first(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    assert window.intake.open_bundle() is None
    assert window.intake.bundle_dialog is None


def test_the_lookup_shows_the_bundle_and_its_other_cases(qtbot: QtBot, ctx: AppContext) -> None:
    from PySide6.QtWidgets import QLineEdit

    from tests.ui._counter_kit import type_text
    from ui.counter_lookup import LookupPanel

    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    dialog = window.intake.open_bundle()
    assert isinstance(dialog, BundleDialog)
    dialog.checklist.mark_all_received()
    with qtbot.waitSignal(window.intake.bundle_accepted, timeout=10000) as done:
        qtbot.mouseClick(dialog.findChild(QPushButton, "bundleAcceptButton"), Qt.MouseButton.LeftButton)
    cases = done.args[0].cases
    panel = LookupPanel(ctx)
    qtbot.addWidget(panel)
    edit = panel.findChild(QLineEdit, "lookupEdit")
    with qtbot.waitSignal(panel.case_shown, timeout=5000):
        type_text(edit, cases[0].summary.case_no)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    detail = panel.findChild(QLabel, "caseDetail").text()
    assert "一件事：<b>新生儿出生一件事</b>（共 4 件，已办结 2/4）" in detail
    assert all(c.summary.case_no in detail for c in cases[1:])
