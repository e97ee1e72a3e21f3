"""The login screen: username, password and the window the clerk sits at; on a fresh store, the form that
creates the administrator (there is no default password); in demo mode the demo accounts are written on it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import auth
from app.auth import ClerkView, WindowChoice
from app.errors import CounterError, ValidationError
from app.settings import HallSettings
from app.store.models import Hall
from ui.context import AppContext

log = logging.getLogger(__name__)

FALLBACK_WINDOWS = 12  # a hall with no window rows yet (first start) may still pick a number


@dataclass(frozen=True)
class LoginState:
    hall_name: str
    has_admin: bool
    windows: tuple[WindowChoice, ...]


def load_login_state(ctx: AppContext) -> LoginState:
    """Runs on the store thread."""
    with ctx.store.read() as session:
        hall = session.get(Hall, ctx.hall_code)
        return LoginState(hall_name=hall.name if hall else (ctx.settings.hall.name or ""),
                          has_admin=auth.has_admin(session),
                          windows=tuple(auth.hall_windows(session, ctx.hall_code)))


def log_in(ctx: AppContext, username: str, password: str, window_number: int) -> ClerkView:
    """Runs on the store thread: check the password, then take the window."""
    if window_number <= 0:
        raise ValidationError("请选择您所在的窗口", field="window")
    counter = ctx.settings.counter
    clerk = auth.authenticate(ctx.store, username, password, host=ctx.host, clock=ctx.clock,
                              max_failures=counter.login_max_failures, lock_minutes=counter.login_lock_minutes)
    if clerk.hall_code != ctx.hall_code:
        raise ValidationError(f"该账号属于其他大厅（{clerk.hall_code}），本机设置的大厅是 {ctx.hall_code}",
                              field="username")
    auth.take_window(ctx.store, clerk=clerk, window_number=window_number, host=ctx.host, clock=ctx.clock)
    return clerk


def _error_label(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    return label


class LoginWindow(QWidget):
    """Login (or first-start administrator) window.

    Signals:
        logged_in(ClerkView, int): the clerk and the window number they chose.
        state_loaded(): the hall, windows and whether an administrator exists have been read.
        login_failed(str): a login attempt was refused (the message is shown on screen).
    """

    logged_in = Signal(object, int)
    state_loaded = Signal()
    login_failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("loginWindow")
        self.setWindowTitle("综窗受理客户端 · 登录")
        self.state: LoginState | None = None

        self.title = QLabel("综窗受理客户端")
        self.title.setProperty("role", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hall_label = QLabel(ctx.settings.hall.name or "")
        self.hall_label.setObjectName("hallLabel")
        self.hall_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_loading())
        self.stack.addWidget(self._build_login())
        self.stack.addWidget(self._build_first_start())

        card = QFrame()
        card.setObjectName("loginCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(520)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(28, 20, 28, 20)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.hall_label)
        card_layout.addSpacing(8)
        card_layout.addWidget(self.stack)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(card)
        column.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 2)
        outer.addStretch(1)
        self.resize(900, 620)
        self.reload()

    # --- building --------------------------------------------------------------------------------------

    def _build_loading(self) -> QWidget:
        label = QLabel("正在读取本大厅的窗口…")
        label.setProperty("role", "hint")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _build_login(self) -> QWidget:
        page = QWidget()
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("usernameEdit")
        self.username_edit.setPlaceholderText("工号或用户名")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("密码")
        self.window_combo = QComboBox()
        self.window_combo.setObjectName("windowCombo")
        self.login_button = QPushButton("登录 (Enter)")
        self.login_button.setObjectName("loginButton")
        self.login_button.setProperty("role", "primary")
        self.login_button.setDefault(True)
        self.login_error = _error_label("loginError")
        self.demo_label = QLabel("")
        self.demo_label.setObjectName("demoAccountsLabel")
        self.demo_label.setProperty("role", "hint")
        self.demo_label.setWordWrap(True)
        self.demo_label.setVisible(False)

        form = QFormLayout()
        form.addRow("用户名", self.username_edit)
        form.addRow("密码", self.password_edit)
        form.addRow("窗口", self.window_combo)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.login_error)
        layout.addWidget(self.login_button)
        layout.addWidget(self.demo_label)
        layout.addStretch(1)
        self.username_edit.returnPressed.connect(self.password_edit.setFocus)
        self.password_edit.returnPressed.connect(self.submit_login)
        self.window_combo.installEventFilter(self)  # Enter on the window box logs in, as on the fields above it
        self.login_button.clicked.connect(self.submit_login)
        QShortcut(QKeySequence("Ctrl+Return"), page, self.submit_login)
        return page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.window_combo and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not self.window_combo.view().isVisible()):  # an open list takes Enter to pick an item
            self.submit_login()
            return True
        return super().eventFilter(watched, event)

    def _build_first_start(self) -> QWidget:
        page = QWidget()
        intro = QLabel("首次启动：请创建本大厅的系统管理员账号。系统不设默认密码，请妥善保管。")
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")
        # The built-in default (150000, the region) is no hall's code: make the admin type theirs.
        self.hall_code_edit = QLineEdit("" if self.ctx.hall_code == HallSettings().code else self.ctx.hall_code)
        self.hall_code_edit.setObjectName("hallCodeEdit")
        self.hall_code_edit.setPlaceholderText("旗县区划代码，如 150929")
        self.hall_name_edit = QLineEdit(self.ctx.settings.hall.name)
        self.hall_name_edit.setObjectName("hallNameEdit")
        self.hall_name_edit.setPlaceholderText("如 四子王旗政务服务中心")
        self.admin_username_edit = QLineEdit("admin")
        self.admin_username_edit.setObjectName("adminUsernameEdit")
        self.admin_name_edit = QLineEdit()
        self.admin_name_edit.setObjectName("adminNameEdit")
        self.admin_password_edit = QLineEdit()
        self.admin_password_edit.setObjectName("adminPasswordEdit")
        self.admin_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.admin_password_edit.setPlaceholderText(f"至少 {auth.MIN_PASSWORD} 位")
        self.admin_confirm_edit = QLineEdit()
        self.admin_confirm_edit.setObjectName("adminConfirmEdit")
        self.admin_confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.create_admin_button = QPushButton("创建管理员")
        self.create_admin_button.setObjectName("createAdminButton")
        self.create_admin_button.setProperty("role", "primary")
        self.admin_error = _error_label("adminError")
        form = QFormLayout()
        form.addRow("大厅编码", self.hall_code_edit)
        form.addRow("大厅名称", self.hall_name_edit)
        form.addRow("管理员用户名", self.admin_username_edit)
        form.addRow("管理员姓名", self.admin_name_edit)
        form.addRow("密码", self.admin_password_edit)
        form.addRow("再次输入密码", self.admin_confirm_edit)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.admin_error)
        layout.addWidget(self.create_admin_button)
        layout.addStretch(1)
        self.create_admin_button.clicked.connect(self.submit_first_admin)
        self.admin_confirm_edit.returnPressed.connect(self.submit_first_admin)
        return page

    def _show_page(self, index: int) -> None:
        # A stack is as tall as its tallest page; hidden pages are told not to count, so the card fits its form.
        for i in range(self.stack.count()):
            page = self.stack.widget(i)
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.stack.setCurrentIndex(index)
        self.stack.adjustSize()

    # --- loading ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._show_page(0)
        ctx = self.ctx
        self.ctx.runner.submit(lambda: load_login_state(ctx), self._on_state, self._on_state_error)

    def _on_state_error(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, CounterError) else "读取大厅信息失败，请联系系统管理员"
        self._show_page(1)
        self.login_error.setText(message)
        self.state_loaded.emit()

    def _on_state(self, state: LoginState) -> None:
        self.state = state
        if state.has_admin:
            self.hall_label.setText(state.hall_name or f"大厅 {self.ctx.hall_code}")
        else:
            self.hall_label.setText("首次启动")
        self.window_combo.clear()
        if state.windows:
            for choice in state.windows:
                self.window_combo.addItem(choice.label, choice.number)
        else:
            for number in range(1, FALLBACK_WINDOWS + 1):
                self.window_combo.addItem(f"{number} 号窗口", number)
        preset = self.ctx.window_number
        if preset:
            index = self.window_combo.findData(preset)
            if index >= 0:
                self.window_combo.setCurrentIndex(index)
        if self.ctx.settings.demo:
            from app.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

            names = "、".join(f"{a.username}（{a.name}）" for a in DEMO_ACCOUNTS if a.role == "clerk")
            self.demo_label.setText(
                f"演示模式 · 窗口人员：{names}；负责人 supervisor；管理员 admin。密码均为 {DEMO_PASSWORD}")
            self.demo_label.setVisible(True)
        if state.has_admin:
            self._show_page(1)
            self.username_edit.setFocus()
        else:
            self._show_page(2)
            self.admin_name_edit.setFocus()
        self.state_loaded.emit()

    # --- login -----------------------------------------------------------------------------------------

    def submit_login(self) -> None:
        if not self.login_button.isEnabled():
            return  # an attempt is already running: a double Enter must not count twice
        username = self.username_edit.text()
        password = self.password_edit.text()
        number = int(self.window_combo.currentData() or 0)
        self.login_error.setText("")
        self.login_button.setEnabled(False)
        ctx = self.ctx
        ctx.runner.submit(lambda: log_in(ctx, username, password, number),
                          lambda clerk: self._on_logged_in(clerk, number), self._on_login_error)

    def _on_logged_in(self, clerk: ClerkView, number: int) -> None:
        self.login_button.setEnabled(True)
        self.password_edit.clear()
        self.logged_in.emit(clerk, number)

    def _on_login_error(self, exc: BaseException) -> None:
        self.login_button.setEnabled(True)
        message = exc.message if isinstance(exc, CounterError) else "登录时出现意外错误，请重试或联系系统管理员"
        self.login_error.setText(message)
        self.password_edit.clear()
        field = exc.field if isinstance(exc, CounterError) else None
        (self.username_edit if field == "username" else self.password_edit).setFocus()
        self.login_failed.emit(message)

    # --- first start -----------------------------------------------------------------------------------

    def submit_first_admin(self) -> None:
        if not self.create_admin_button.isEnabled():
            return
        self.admin_error.setText("")
        if self.admin_password_edit.text() != self.admin_confirm_edit.text():
            self.admin_error.setText("两次输入的密码不一致")
            self.admin_confirm_edit.setFocus()
            return
        ctx = self.ctx
        values = dict(hall_code=self.hall_code_edit.text(), hall_name=self.hall_name_edit.text(),
                      username=self.admin_username_edit.text(), name=self.admin_name_edit.text(),
                      password=self.admin_password_edit.text())
        self.create_admin_button.setEnabled(False)
        ctx.runner.submit(lambda: auth.create_first_admin(ctx.store, host=ctx.host, clock=ctx.clock, **values),
                          self._on_admin_created, self._on_admin_error)

    def _on_admin_created(self, clerk: ClerkView) -> None:
        self.create_admin_button.setEnabled(True)
        # The hall this PC serves is the one just created.
        self.ctx.settings.hall.code = clerk.hall_code
        self.ctx.settings.hall.name = self.hall_name_edit.text().strip()
        self._save_settings()
        self.admin_password_edit.clear()
        self.admin_confirm_edit.clear()
        self.username_edit.setText(clerk.username)
        self.login_error.setText("管理员已创建，请登录")
        self.reload()

    def _save_settings(self) -> None:
        """Remember the hall this PC serves — only that: a ``--db`` or ``--data-dir`` given for this run stays out
        of the settings file."""
        from app.settings import update_settings_file

        hall, source = self.ctx.settings.hall, self.ctx.settings.source
        changes = {("hall", "code"): hall.code, ("hall", "name"): hall.name}
        self.ctx.runner.submit(lambda: update_settings_file(changes, source), None,
                               lambda exc: log.warning("could not save the hall to the settings file: %s", exc),
                               pool="io")

    def _on_admin_error(self, exc: BaseException) -> None:
        self.create_admin_button.setEnabled(True)
        message = exc.message if isinstance(exc, CounterError) else "创建管理员时出现意外错误"
        self.admin_error.setText(message)
        fields = {"hall_code": self.hall_code_edit, "hall_name": self.hall_name_edit,
                  "username": self.admin_username_edit, "name": self.admin_name_edit,
                  "password": self.admin_password_edit}
        field = exc.field if isinstance(exc, CounterError) else None
        if field in fields:
            fields[field].setFocus()
