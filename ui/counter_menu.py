"""The counter's 菜单: 设置 and 修改密码 for everyone, 统计看板 for supervisors and admins, 系统管理 for admins.
One window of each kind at a time; all of them close when the clerk logs out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ui.context import AppContext


class CounterMenu:
    """Owns the 菜单 button, its actions (``actions``, by objectName) and the windows they opened (``dialogs``)."""

    def __init__(self, ctx: AppContext, owner: QWidget, *, status: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.owner = owner
        self.status = status
        role = ctx.clerk.role if ctx.clerk else ""
        menu = QMenu(owner)
        menu.setObjectName("counterMenu")
        entries = [("settingsAction", "设置… (Ctrl+,)", self.open_settings, True),
                   ("helpAction", "登记帮办代办…", self.open_help, ctx.clerk is not None),
                   ("passwordAction", "修改密码…", self.open_password, ctx.clerk is not None),
                   ("supervisorAction", "统计看板…", self.open_supervisor, role in ("supervisor", "admin")),
                   ("adminAction", "系统管理（人员、窗口、失信名单）…", self.open_admin, role == "admin")]
        self.actions: dict[str, QAction] = {}
        for name, text, slot, allowed in entries:
            if not allowed:
                continue
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(slot)
            self.actions[name] = action
        self.button = QToolButton()
        self.button.setObjectName("menuButton")
        self.button.setText("菜单")
        self.button.setMenu(menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.dialogs: dict[str, QWidget] = {}

    def _reuse(self, name: str, make: Callable[[], QWidget | None]) -> QWidget | None:
        """One window of each kind: raise the open one instead of stacking copies."""
        open_one = self.dialogs.get(name)
        if open_one is not None and open_one.isVisible():
            open_one.raise_()
            open_one.activateWindow()
            return open_one
        made = make()
        if made is not None:
            self.dialogs[name] = made
        return made

    def close_all(self) -> None:
        for dialog in self.dialogs.values():
            dialog.close()

    def open_settings(self) -> QWidget | None:
        from ui.settings_dialog import open_settings

        return self._reuse("settings", lambda: open_settings(self.ctx, self.owner))

    def open_password(self) -> QWidget | None:
        def make() -> QWidget:
            from ui.admin_forms import OwnPasswordForm

            form = OwnPasswordForm(self.ctx, self.owner)
            form.saved.connect(lambda _r: self.status("密码已修改，下次登录请用新密码"))
            form.open()
            return form

        return self._reuse("password", make)

    def open_help(self) -> QWidget | None:
        def make() -> QWidget:
            from ui.help_dialog import HelpDialog

            dialog = HelpDialog(self.ctx, self.owner)
            dialog.saved.connect(lambda v: self.status(f"已登记{v.mode_label}：{v.case_no or v.matter_name}"))
            dialog.open()
            return dialog

        return self._reuse("help", make)

    def open_admin(self) -> QWidget | None:
        from ui.admin import open_admin

        return self._reuse("admin", lambda: open_admin(self.ctx, self.owner))

    def open_supervisor(self) -> QWidget | None:
        def make() -> QWidget:
            from ui.supervisor import SupervisorWindow

            board = SupervisorWindow(self.ctx)  # its own top-level window, beside the counter
            board.setWindowTitle(f"统计看板 · {self.ctx.settings.hall.name or self.ctx.hall_code}")
            board.resize(1280, 760)
            board.show_day(self.ctx.clock.today())
            board.show()
            return board

        return self._reuse("supervisor", make)
