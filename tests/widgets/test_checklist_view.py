"""The checklist widget over real catalog matters: badges, the states each material may take, 材料齐全,
proxy-only materials, attachments (with the bad-file cases) and the supply deadlines shown per row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.catalog import Matter, load_catalog
from widgets.checklist_view import ChecklistView


@pytest.fixture(scope="module")
def loan() -> Matter:
    matter = load_catalog().matter("150929-GJJ-002")
    assert matter is not None
    return matter


def make(qtbot: QtBot, matter: Matter, **kwargs: bool) -> ChecklistView:
    view = ChecklistView()
    qtbot.addWidget(view)
    view.set_materials(matter.materials, **kwargs)
    return view


def choices(view: ChecklistView, key: str) -> list[str]:
    combo = view.findChild(QComboBox, f"materialState_{key}")
    return [combo.itemData(i) for i in range(combo.count())]


def badges(view: ChecklistView, key: str) -> list[str]:
    name = view.findChild(QLabel, f"materialName_{key}")
    assert name is not None
    row = next(view._grid.getItemPosition(i)[0] for i in range(view._grid.count())
               if view._grid.itemAt(i).widget() is name)
    host = view._grid.itemAtPosition(row, 1).widget()
    return [label.text() for label in host.findChildren(QLabel)]


def test_rows_badges_and_choices(qtbot: QtBot, loan: Matter) -> None:
    view = make(qtbot, loan)
    assert view.keys() == ["id_card", "contract", "marital", "income", "bank_flow"]  # proxy papers hidden
    assert view.states() == dict.fromkeys(view.keys(), "missing")
    assert "核心" in badges(view, "id_card") and "电子证照" in badges(view, "id_card")
    assert badges(view, "income") == ["可容缺"]
    assert badges(view, "marital") == ["可承诺"]
    assert choices(view, "id_card") == ["original", "copy", "e_license", "defective", "missing"]  # core: never 容缺
    assert choices(view, "income") == ["original", "copy", "deferred", "defective", "missing"]
    assert choices(view, "marital") == ["original", "copy", "pledge", "defective", "missing"]


def test_hall_switches_remove_deferral_and_pledge(qtbot: QtBot, loan: Matter) -> None:
    view = make(qtbot, loan, allow_deferral=False, allow_pledge=False)
    assert "deferred" not in choices(view, "income")
    assert "pledge" not in choices(view, "marital")
    with pytest.raises(ValueError, match="不可选"):
        view.set_state("income", "deferred")


def test_all_received_then_one_exception_emits_states(qtbot: QtBot, loan: Matter) -> None:
    view = make(qtbot, loan)
    with qtbot.waitSignal(view.states_changed) as blocker:
        qtbot.mouseClick(view.findChild(QPushButton, "allReceivedButton"), Qt.MouseButton.LeftButton)
    assert set(blocker.args[0].values()) == {"original"}
    with qtbot.waitSignal(view.states_changed) as blocker:
        view.set_state("income", "deferred")
    assert blocker.args[0]["income"] == "deferred"
    assert view.summary.text() == "共 5 项，已收 4，容缺 1"
    view.set_dues({"income": dt.date(2026, 3, 9)})
    assert view.findChild(QLabel, "due_income").text() == "3月9日前补齐"


def test_proxy_adds_rows_and_keeps_states(qtbot: QtBot, loan: Matter) -> None:
    view = make(qtbot, loan)
    view.set_state("contract", "copy")
    view.set_materials(loan.materials, proxy=True)
    assert "proxy_auth" in view.keys() and "proxy_id" in view.keys()
    assert view.states()["contract"] == "copy", "ticks survive the switch"
    assert view.states()["proxy_auth"] == "missing"


def test_attachments_and_bad_files(qtbot: QtBot, loan: Matter, tmp_path: Path) -> None:
    picked: list[str] = []
    scan = tmp_path / "收入证明.jpg"
    scan.write_bytes(b"\xff\xd8\xff scan")
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")

    def picker(_parent: object, name: str) -> str:
        picked.append(name)
        return str(scan)

    view = ChecklistView(file_picker=picker)
    qtbot.addWidget(view)
    view.set_materials(loan.materials)
    with qtbot.waitSignal(view.attachments_changed) as blocker:
        qtbot.mouseClick(view.findChild(QPushButton, "attach_income"), Qt.MouseButton.LeftButton)
    assert picked == ["借款人收入证明"]
    assert blocker.args[0] == {"income": [scan]}
    assert view.findChild(QLabel, "attachments_income").text() == "收入证明.jpg"
    with qtbot.waitSignal(view.attach_failed) as failed:
        assert not view.attach_file("income", empty)
    assert "空文件" in failed.args[0]
    with qtbot.waitSignal(view.attach_failed) as failed:
        assert not view.attach_file("income", tmp_path / "不存在.pdf")
    assert "无法读取" in failed.args[0]
    assert view.attachments() == {"income": [scan]}
