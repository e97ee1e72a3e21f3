"""A 嘎查村 service point's counter: the search finds only what the point may do, and a 代收 matter is taken in
for the office that decides (the status bar says so)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.catalog.store import import_catalog
from app.store import Store
from tests.app.test_levels import FOOD, levelled
from tests.ui._counter_kit import demo_ctx, type_text
from tests.ui.test_counter_flow import accept_by_click, child, choose_matter, fill_applicant, open_counter
from ui.context import AppContext


@pytest.fixture
def village(tmp_path: Path, store: Store) -> AppContext:
    with store.write() as session:
        import_catalog(session, levelled(), source="test:levels")
    ctx = demo_ctx(tmp_path, store)
    ctx.settings.hall.level = "village"
    return ctx


def test_the_village_counter_finds_only_its_matters_and_collects_for_the_office(qtbot: QtBot,
                                                                              village: AppContext) -> None:
    window = open_counter(qtbot, village)
    assert {m.code for m in window.intake.resources.index.search("sb", limit=50)} == set()  # type: ignore[union-attr]
    edit = child(window, QLineEdit, "matterSearchEdit")
    with qtbot.waitSignal(window.intake.search.results_changed, timeout=2000):
        type_text(edit, "养老保险")
    assert window.intake.search.matters() == []  # the county's pension matters are not offered here
    edit.clear()
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window, "食品经营", FOOD)
    assert "本点代收，转四子王旗市场监督管理局受理（材料须齐全）" in child(window, QLabel, "matterInfo").text()
    qtbot.mouseClick(child(window, QPushButton, "allReceivedButton"), Qt.MouseButton.LeftButton)
    case = accept_by_click(qtbot, window)
    assert case.state == "collected" and case.promised_due is None
    assert "已代收（收件转四子王旗市场监督管理局受理" in child(window, QLabel, "statusMessage").text()
