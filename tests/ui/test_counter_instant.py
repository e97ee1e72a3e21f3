"""A 即办件 at the counter: accepted with its materials complete, it is 办结 and 出件 before the applicant leaves,
and the status bar tells the clerk to hand the result over."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.store import Store
from tests.ui._counter_kit import demo_ctx
from tests.ui.test_counter_flow import (
    accept_by_click,
    banner_title,
    child,
    choose_matter,
    fill_applicant,
    open_counter,
)
from ui.context import AppContext


@pytest.fixture
def ctx(tmp_path: Path, store: Store) -> AppContext:
    return demo_ctx(tmp_path, store)


def test_an_instant_matter_is_done_before_the_applicant_leaves(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window, "个体工商户设立", "150929-SJ-001")
    assert "即办件" in child(window, QLabel, "matterInfo").text()
    qtbot.mouseClick(child(window, QPushButton, "allReceivedButton"), Qt.MouseButton.LeftButton)
    assert banner_title(window) == "正常受理"
    case = accept_by_click(qtbot, window)
    assert case.state == "handed_over" and case.result == "approved"
    status = child(window, QLabel, "statusMessage").text()
    assert case.case_no in status and "即办件已当场办结并出件，请将办理结果交给申请人" in status
