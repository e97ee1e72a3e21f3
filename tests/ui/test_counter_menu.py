"""The counter's 菜单: 设置 and 修改密码 for everyone, 统计看板 for supervisors and admins, 系统管理 for admins only; what it opens
closes when the clerk logs out."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.hall_clock import CLOCK
from tests.ui._counter_kit import demo_ctx, demo_store
from ui.counter import CounterWindow


def window_for(qtbot: QtBot, tmp_path: Path, login: str) -> CounterWindow:
    ctx = demo_ctx(tmp_path, demo_store(tmp_path), login=login)
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_clerk_gets_settings_and_password_only(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path, "clerk01")
    assert set(window.menu.actions) == {"settingsAction", "helpAction", "passwordAction"}
    window.menu.actions["settingsAction"].trigger()
    dialog = window.menu.dialogs["settings"]
    assert dialog.isVisible() and dialog.windowTitle() == "设置"
    window.menu.actions["settingsAction"].trigger()  # a second click raises the same dialog
    assert window.menu.dialogs["settings"] is dialog
    window.log_out()
    assert not dialog.isVisible()


def test_an_admin_opens_administration_and_the_board(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path, "admin")
    assert set(window.menu.actions) == {"settingsAction", "helpAction", "passwordAction", "supervisorAction",
                                        "adminAction"}
    window.menu.actions["adminAction"].trigger()
    admin_dialog = window.menu.dialogs["admin"]
    assert admin_dialog.isVisible() and admin_dialog.windowTitle() == "系统管理"
    window.menu.actions["supervisorAction"].trigger()
    board = window.menu.dialogs["supervisor"]
    assert board.isVisible() and board.windowTitle().startswith("统计看板")
    window.log_out()
    assert not admin_dialog.isVisible() and not board.isVisible()


def test_a_supervisor_gets_the_board_but_not_administration(qtbot: QtBot, tmp_path: Path) -> None:
    window = window_for(qtbot, tmp_path, "supervisor")
    assert set(window.menu.actions) == {"settingsAction", "helpAction", "passwordAction", "supervisorAction"}


def test_a_clerk_changes_their_password_from_the_menu(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

    from app import auth
    from app.demo import DEMO_PASSWORD

    window = window_for(qtbot, tmp_path, "clerk01")
    window.menu.actions["passwordAction"].trigger()
    form = window.menu.dialogs["password"]
    assert form.isVisible() and form.windowTitle() == "修改密码"
    edit = {name: form.findChild(QLineEdit, name) for name in ("currentPasswordEdit", "passwordEdit", "confirmEdit")}
    edit["currentPasswordEdit"].setText("wrong-one")
    edit["passwordEdit"].setText("Better-456")
    edit["confirmEdit"].setText("Better-456")
    save = next(b for b in form.findChildren(QPushButton) if b.isDefault() or b.text().startswith("保存"))
    save.click()
    errors = [label.text() for label in form.findChildren(QLabel) if label.property("role") == "error"
              and label.isVisible()]
    assert any("当前密码不正确" in text for text in errors), errors
    assert form.isVisible() and edit["passwordEdit"].text() == "Better-456"  # the input is kept
    edit["currentPasswordEdit"].setText(DEMO_PASSWORD)
    save.click()
    qtbot.waitUntil(lambda: not form.isVisible())
    assert "密码已修改" in window.status_label.text()
    assert auth.authenticate(window.ctx.store, "clerk01", "Better-456", host="t", clock=CLOCK).username == "clerk01"
