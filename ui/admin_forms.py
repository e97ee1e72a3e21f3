"""The small forms of 系统管理 (clerk, password, window, excluded entry), the clerk's own 修改密码, and the widget
helpers ui/admin.py shares.

A form shows each error under the field it names and stays open, its input kept, until the store accepts it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import auth, excluded, staff
from app.auth import MIN_PASSWORD, ROLES, ClerkView
from app.errors import CounterError, StateError, ValidationError
from ui.context import AppContext
from widgets.id_edit import PERSON_KINDS, IdEdit
from widgets.naming import named


def tr(text: str) -> str:
    return QCoreApplication.translate("admin", text)



def error_label(name: str) -> QLabel:
    label = named(QLabel(""), name)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def message_of(exc: BaseException, fallback: str) -> str:
    return exc.message if isinstance(exc, CounterError) else fallback


def acting(ctx: AppContext) -> ClerkView:
    """The clerk logged in at this PC (系统管理 only opens for an admin; app.staff checks the role again)."""
    if ctx.clerk is None:
        raise StateError(tr("请先登录"))
    return ctx.clerk


# --- the small forms -----------------------------------------------------------------------------------------


class FormDialog(QDialog):
    """A small form whose errors appear under the field they name; the form stays open with its input kept.

    Subclasses add fields with :meth:`add_field` and implement :meth:`work`, which returns the store work to run
    (or raises ValidationError for a check the form can make itself).

    Signals:
        saved(object): the store accepted the change; carries what the work returned.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, tuple[QWidget, QLabel]] = {}
        self.form_error = error_label("formError")
        buttons = QDialogButtonBox()
        self.save_button = named(buttons.addButton(tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole), "formSaveButton")
        self.save_button.setProperty("role", "primary")
        self.save_button.setDefault(True)
        cancel = named(buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole), "formCancelButton")
        self.save_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form_error)
        layout.addWidget(buttons)

    def add_field(self, field: str, label: str, widget: QWidget, *, hint: QLabel | None = None) -> None:
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if hint is not None:
            column.addWidget(hint)
        error = error_label(f"{field}Error")
        column.addWidget(error)
        self.form.addRow(label, cell)
        self.fields[field] = (widget, error)

    def error_text(self, field: str) -> str:
        return self.fields[field][1].text() if field in self.fields else self.form_error.text()

    def work(self) -> Callable[[], Any]:
        raise NotImplementedError

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return  # already saving: a second Enter must not save twice
        self.clear_errors()
        try:
            work = self.work()
        except ValidationError as exc:
            self.show_error(exc)
            return
        self.save_button.setEnabled(False)
        self.ctx.runner.submit(work, self._saved, self._failed)

    def clear_errors(self) -> None:
        for _widget, label in self.fields.values():
            label.clear()
            label.setVisible(False)
        self.form_error.clear()
        self.form_error.setVisible(False)

    def show_error(self, exc: BaseException) -> None:
        message = message_of(exc, tr("保存时出现意外错误，请重试或联系技术支持"))
        field = exc.field if isinstance(exc, CounterError) else None
        widget, label = self.fields.get(field or "", (None, self.form_error))
        label.setText(message)
        label.setVisible(True)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _saved(self, result: object) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.show_error(exc)


def password_edit(name: str) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(tr("至少 {0} 位").format(MIN_PASSWORD))
    return edit


def check_confirmed(password: str, confirm: str) -> None:
    if password != confirm:
        raise ValidationError(tr("两次输入的密码不一致"), field="confirm")


class ClerkForm(FormDialog):
    """新增 (``row`` None) or 修改 a clerk."""

    def __init__(self, ctx: AppContext, row: staff.ClerkRow | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("新增人员") if row is None else tr("修改人员"), "clerkForm", parent)
        self.row = row
        self.username_edit = named(QLineEdit(row.username if row else ""), "usernameEdit")
        self.username_edit.setReadOnly(row is not None)
        self.username_edit.setPlaceholderText(tr("登录用的用户名，如 clerk07"))
        self.name_edit = named(QLineEdit(row.name if row else ""), "nameEdit")
        self.role_combo = named(QComboBox(), "roleCombo")
        for code, label in ROLES.items():
            self.role_combo.addItem(label, code)
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(row.role if row else "clerk")))
        self.phone_edit = named(QLineEdit(row.phone if row else ""), "phoneEdit")
        self.add_field("username", tr("用户名"), self.username_edit)
        self.add_field("name", tr("姓名"), self.name_edit)
        self.add_field("role", tr("角色"), self.role_combo)
        self.add_field("phone", tr("电话"), self.phone_edit)
        if row is None:
            self.password_edit = password_edit("passwordEdit")
            self.confirm_edit = password_edit("confirmEdit")
            self.add_field("password", tr("密码"), self.password_edit)
            self.add_field("confirm", tr("再次输入密码"), self.confirm_edit)
            self.confirm_edit.returnPressed.connect(self.submit)
        (self.name_edit if row else self.username_edit).setFocus()

    def work(self) -> Callable[[], staff.ClerkRow]:
        store, clerk, host, clock = self.ctx.store, acting(self.ctx), self.ctx.host, self.ctx.clock
        name, role, phone = self.name_edit.text(), str(self.role_combo.currentData()), self.phone_edit.text()
        if self.row is None:
            username, password = self.username_edit.text(), self.password_edit.text()
            check_confirmed(password, self.confirm_edit.text())
            return lambda: staff.add_clerk(store, clerk, username=username, name=name, role=role, password=password,
                                           phone=phone, host=host, clock=clock)
        username = self.row.username
        return lambda: staff.update_clerk(store, clerk, username, name=name, role=role, phone=phone, host=host,
                                          clock=clock)


class PasswordForm(FormDialog):
    def __init__(self, ctx: AppContext, row: staff.ClerkRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("重置密码"), "passwordForm", parent)
        self.row = row
        intro = QLabel(tr("为 {0}（{1}）设置新密码；账号如被锁定，将一并解锁。").format(row.name, row.username))
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")
        self.form.addRow(intro)
        self.password_edit = password_edit("passwordEdit")
        self.confirm_edit = password_edit("confirmEdit")
        self.add_field("password", tr("新密码"), self.password_edit)
        self.add_field("confirm", tr("再次输入"), self.confirm_edit)
        self.confirm_edit.returnPressed.connect(self.submit)
        self.password_edit.setFocus()

    def work(self) -> Callable[[], staff.ClerkRow]:
        store, clerk, host, username = self.ctx.store, acting(self.ctx), self.ctx.host, self.row.username
        clock = self.ctx.clock
        password = self.password_edit.text()
        check_confirmed(password, self.confirm_edit.text())
        return lambda: staff.reset_password(store, clerk, username, password, host=host, clock=clock)


class OwnPasswordForm(FormDialog):
    """修改密码: any logged-in clerk changes their own password, giving the current one first."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("修改密码"), "ownPasswordForm", parent)
        self.current_edit = named(QLineEdit(), "currentPasswordEdit")
        self.current_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit = password_edit("passwordEdit")
        self.confirm_edit = password_edit("confirmEdit")
        self.add_field("current", tr("当前密码"), self.current_edit)
        self.add_field("password", tr("新密码"), self.password_edit)
        self.add_field("confirm", tr("再次输入"), self.confirm_edit)
        self.confirm_edit.returnPressed.connect(self.submit)
        self.current_edit.setFocus()

    def work(self) -> Callable[[], None]:
        ctx, clerk = self.ctx, acting(self.ctx)
        current, password = self.current_edit.text(), self.password_edit.text()
        check_confirmed(password, self.confirm_edit.text())
        counter = ctx.settings.counter
        return lambda: auth.change_own_password(ctx.store, clerk, current, password, host=ctx.host,
                                                clock=ctx.clock,
                                                max_failures=counter.login_max_failures,
                                                lock_minutes=counter.login_lock_minutes)


class WindowForm(FormDialog):
    """新增 (``row`` None) or 修改 a window; its categories are the hall's queue categories as checkboxes."""

    COLUMNS = 3

    def __init__(self, ctx: AppContext, row: staff.WindowRow | None, categories: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("新增窗口") if row is None else tr("修改窗口"), "windowForm", parent)
        self.row = row
        self.number_spin = named(QSpinBox(), "numberSpin")
        self.number_spin.setRange(1, staff.MAX_WINDOW)
        self.number_spin.setValue(row.number if row else 1)
        self.number_spin.setEnabled(row is None)
        self.name_edit = named(QLineEdit(row.name if row else ""), "windowNameEdit")
        self.name_edit.setMaxLength(60)
        self.name_edit.setPlaceholderText(tr("如 综合受理、不动产登记"))
        # The name in Mongolian script, shown beside the Chinese on the hall display (issue 15).
        self.name_mn_edit = named(QLineEdit(row.name_mn if row else ""), "windowNameMnEdit")
        self.name_mn_edit.setMaxLength(120)
        self.name_mn_edit.setPlaceholderText(tr("传统蒙古文，叫号屏上与汉文并列；没有可留空"))
        grid_box = named(QWidget(), "categoryBox")
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.category_checks: dict[str, QCheckBox] = {}
        chosen = set(row.categories) if row else set()
        for i, (letter, label) in enumerate(categories.items()):
            check = named(QCheckBox(f"{letter} {label}"), f"category_{letter}")
            check.setChecked(letter in chosen)
            grid.addWidget(check, i // self.COLUMNS, i % self.COLUMNS)
            self.category_checks[letter] = check
        if not categories:
            grid.addWidget(QLabel(tr("尚未导入事项目录，没有可选的业务类别")), 0, 0)
        self.add_field("number", tr("窗口号"), self.number_spin)
        self.add_field("name", tr("窗口名称"), self.name_edit)
        self.add_field("name_mn", tr("蒙古文名称"), self.name_mn_edit)
        self.add_field("categories", tr("业务类别"), grid_box)
        self.name_edit.returnPressed.connect(self.submit)
        (self.name_edit if row else self.number_spin).setFocus()

    def work(self) -> Callable[[], staff.WindowRow]:
        store, clerk, host, clock = self.ctx.store, acting(self.ctx), self.ctx.host, self.ctx.clock
        name, name_mn = self.name_edit.text(), self.name_mn_edit.text()
        letters = [letter for letter, check in self.category_checks.items() if check.isChecked()]
        if self.row is None:
            number = self.number_spin.value()
            return lambda: staff.add_window(store, clerk, number=number, name=name, name_mn=name_mn,
                                            categories=letters, host=host, clock=clock)
        number = self.row.number
        return lambda: staff.update_window(store, clerk, number, name=name, name_mn=name_mn, categories=letters,
                                           host=host, clock=clock)


class ExcludedForm(FormDialog):
    """添加 a person to the local list, or re-word a local entry (``row``)."""

    def __init__(self, ctx: AppContext, row: excluded.ExcludedRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("添加到失信名单") if row is None else tr("修改失信原因"), "excludedForm", parent)
        self.id_edit = IdEdit(today=ctx.clock.today, kinds=PERSON_KINDS, object_name="excludedIdEdit")
        self.id_hint = named(QLabel(""), "excludedIdHint")
        self.id_hint.setProperty("role", "hint")
        self.id_hint.setVisible(False)
        self.id_edit.message_changed.connect(self._show_hint)
        self.reason_edit = named(QLineEdit(row.reason if row else ""), "reasonEdit")
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(tr("如 虚假承诺（2026-03 不动产登记）、法院失信被执行人"))
        if row is not None:
            self.id_edit.setText(row.id_no)
            self.id_edit.setReadOnly(True)
        self.add_field("id_no", tr("证件号码"), self.id_edit, hint=self.id_hint)
        self.add_field("reason", tr("列入原因"), self.reason_edit)
        self.id_edit.returnPressed.connect(self.reason_edit.setFocus)
        self.reason_edit.returnPressed.connect(self.submit)
        (self.reason_edit if row else self.id_edit).setFocus()

    def _show_hint(self, text: str) -> None:
        self.id_hint.setText(text)
        self.id_hint.setVisible(bool(text))

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, CounterError) and exc.field == "id_no":
            self._show_hint("")  # the error below says it (the hint comes back as the number is edited)
        super().show_error(exc)

    def work(self) -> Callable[[], excluded.ExcludedRow]:
        store, clerk, host, clock = self.ctx.store, acting(self.ctx), self.ctx.host, self.ctx.clock
        id_no, reason = self.id_edit.text(), self.reason_edit.text()
        return lambda: excluded.add_excluded(store, clerk, id_no, reason, clock=clock, host=host)
