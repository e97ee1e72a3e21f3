"""The counter's 菜单: 设置 for everyone, 统计看板 for supervisors and admins, 系统管理 for admins only; what it opens
closes when the clerk logs out."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui._counter_kit import demo_ctx, demo_store
from ui.counter import CounterWindow


def window_for(qtbot: QtBot, tmp_path: Path, login: str) -> CounterWindow:
    ctx = demo_ctx(tmp_path, demo_store(tmp_path), login=login)
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_clerk_gets_settings_only(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path, "clerk01")
    assert set(window.menu_actions) == {"settingsAction"}
    window.menu_actions["settingsAction"].trigger()
    dialog = window._dialogs["settings"]
    assert dialog.isVisible() and dialog.windowTitle() == "设置"
    window.menu_actions["settingsAction"].trigger()  # a second click raises the same dialog
    assert window._dialogs["settings"] is dialog
    window.log_out()
    assert not dialog.isVisible()


def test_an_admin_opens_administration_and_the_board(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path, "admin")
    assert set(window.menu_actions) == {"settingsAction", "supervisorAction", "adminAction"}
    window.menu_actions["adminAction"].trigger()
    admin_dialog = window._dialogs["admin"]
    assert admin_dialog.isVisible() and admin_dialog.windowTitle() == "系统管理"
    window.menu_actions["supervisorAction"].trigger()
    board = window._dialogs["supervisor"]
    assert board.isVisible() and board.windowTitle().startswith("统计看板")
    window.log_out()
    assert not admin_dialog.isVisible() and not board.isVisible()


def test_a_supervisor_gets_the_board_but_not_administration(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path, "supervisor")
    assert set(window.menu_actions) == {"settingsAction", "supervisorAction"}
