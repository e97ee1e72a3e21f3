"""Search as you type over the real shipped catalog: throttled, by name, code and pinyin initials; Enter picks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.catalog import MatterIndex, load_catalog
from tests.ui._counter_kit import type_text
from widgets.matter_search import MatterSearch


@pytest.fixture(scope="module")
def index() -> MatterIndex:
    return MatterIndex(load_catalog())


def make(qtbot: QtBot, index: MatterIndex) -> MatterSearch:
    widget = MatterSearch(index.search)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_typing_runs_one_search_after_the_pause(qtbot: QtBot, index: MatterIndex) -> None:
    widget = make(qtbot, index)
    counts: list[int] = []
    widget.results_changed.connect(counts.append)
    with qtbot.waitSignal(widget.results_changed, timeout=2000):
        type_text(widget.edit, "公积金")
    assert len(counts) == 1, "one search per pause, not one per keystroke"
    names = [m.name for m in widget.matters()]
    assert names and all("公积金" in n for n in names)
    assert widget.results.count() == len(names)


def test_pinyin_initials_and_code(qtbot: QtBot, index: MatterIndex) -> None:
    widget = make(qtbot, index)
    with qtbot.waitSignal(widget.results_changed, timeout=2000):
        qtbot.keyClicks(widget.edit, "sydj")  # 失业登记
    assert any(m.name == "失业登记" for m in widget.matters())
    widget.edit.clear()
    with qtbot.waitSignal(widget.results_changed, timeout=2000):
        qtbot.keyClicks(widget.edit, "150929-GJJ-002")
    assert widget.matters()[0].code == "150929-GJJ-002"


def test_enter_before_the_pause_still_picks_the_first(qtbot: QtBot, index: MatterIndex) -> None:
    widget = make(qtbot, index)
    type_text(widget.edit, "失业登记")
    with qtbot.waitSignal(widget.matter_chosen, timeout=1000) as blocker:
        qtbot.keyClick(widget.edit, Qt.Key.Key_Return)
    assert blocker.args[0].name == "失业登记"
    assert widget.chosen is not None and widget.chosen.name == "失业登记"


def test_arrow_keys_move_through_results_and_nothing_found_says_so(qtbot: QtBot, index: MatterIndex) -> None:
    widget = make(qtbot, index)
    with qtbot.waitSignal(widget.results_changed, timeout=2000):
        type_text(widget.edit, "登记")
    assert len(widget.matters()) >= 2
    qtbot.keyClick(widget.edit, Qt.Key.Key_Down)
    assert widget.results.currentRow() == 1
    with qtbot.waitSignal(widget.matter_chosen) as blocker:
        qtbot.keyClick(widget.edit, Qt.Key.Key_Return)
    assert blocker.args[0] == widget.matters()[1]
    widget.edit.clear()
    with qtbot.waitSignal(widget.results_changed, timeout=2000):
        type_text(widget.edit, "火星移民")
    assert widget.matters() == [] and "没有找到" in widget.status.text()
