"""The login screen and the idle lock, through the real widgets: success, failure, lockout, first start, and
the screen locking after idle time and unlocking with the clerk's password."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.demo import DEMO_PASSWORD
from app.settings import load_settings
from app.store import Store, open_store
from app.store.models import AuditEvent, Clerk, Hall, Window
from tests.ui._counter_kit import demo_ctx, type_text
from ui.context import AppContext
from ui.counter import CounterWindow
from ui.login import LoginWindow
from ui.tasks import InlineRunner


def open_login(qtbot: QtBot, ctx: AppContext) -> LoginWindow:
    window = LoginWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def attempt(qtbot: QtBot, window: LoginWindow, username: str, password: str) -> None:
    user = window.findChild(QLineEdit, "usernameEdit")
    pw = window.findChild(QLineEdit, "passwordEdit")
    user.clear()
    type_text(user, username)
    type_text(pw, password)
    qtbot.mouseClick(window.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)


def actions(store: Store, username: str) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(AuditEvent.action).where(AuditEvent.actor == username)
                                    .order_by(AuditEvent.id)))


def test_demo_login_takes_the_chosen_window(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, login=None, window=None)
    window = open_login(qtbot, ctx)
    assert "四子王旗政务服务中心" in window.findChild(QLabel, "hallLabel").text()
    demo = window.findChild(QLabel, "demoAccountsLabel")
    assert demo.isVisible() and "clerk01" in demo.text() and DEMO_PASSWORD in demo.text()
    combo = window.findChild(QComboBox, "windowCombo")
    assert combo.count() == 8
    combo.setCurrentIndex(combo.findData(3))
    with qtbot.waitSignal(window.logged_in, timeout=5000) as blocker:
        attempt(qtbot, window, "clerk02", DEMO_PASSWORD)
    clerk, number = blocker.args
    assert clerk.username == "clerk02" and clerk.name == "巴特尔" and number == 3
    with store.read() as session:
        seat = session.scalars(select(Window).where(Window.number == 3)).one()
        assert seat.clerk_id == clerk.id
    assert actions(store, "clerk02") == ["login.ok", "window.take"]
    assert window.findChild(QLineEdit, "passwordEdit").text() == "", "the password does not linger"


def test_enter_on_the_window_box_logs_in(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    window = open_login(qtbot, demo_ctx(tmp_path, store, login=None, window=None))
    type_text(window.findChild(QLineEdit, "usernameEdit"), "clerk01")
    type_text(window.findChild(QLineEdit, "passwordEdit"), DEMO_PASSWORD)
    combo = window.findChild(QComboBox, "windowCombo")
    combo.setCurrentIndex(combo.findData(2))
    combo.setFocus()
    with qtbot.waitSignal(window.logged_in, timeout=5000) as blocker:
        qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert blocker.args[1] == 2


def test_wrong_password_is_refused_and_audited(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    window = open_login(qtbot, demo_ctx(tmp_path, store, login=None))
    with qtbot.waitSignal(window.login_failed, timeout=5000):
        attempt(qtbot, window, "clerk01", "not-the-password")
    error = window.findChild(QLabel, "loginError").text()
    assert "用户名或密码错误" in error and "再错 4 次" in error
    # An unknown name gets the same message: names are not revealed.
    with qtbot.waitSignal(window.login_failed, timeout=5000) as blocker:
        attempt(qtbot, window, "nobody", "whatever1")
    assert blocker.args[0] == "用户名或密码错误"
    assert actions(store, "clerk01") == ["login.fail"]
    assert actions(store, "nobody") == ["login.fail"]


def test_lockout_after_repeated_failures(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, login=None)
    ctx.settings.counter.login_max_failures = 3
    window = open_login(qtbot, ctx)
    for _ in range(3):
        attempt(qtbot, window, "clerk03", "wrong-password")
    assert "已锁定" in window.findChild(QLabel, "loginError").text()
    # Even the right password is refused while locked.
    with qtbot.waitSignal(window.login_failed, timeout=5000) as blocker:
        attempt(qtbot, window, "clerk03", DEMO_PASSWORD)
    assert "已锁定" in blocker.args[0]
    assert actions(store, "clerk03") == ["login.fail", "login.fail", "login.lockout", "login.locked"]


def test_first_start_creates_the_administrator(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{(tmp_path / 'fresh.db').as_posix()}")
    settings = load_settings(data_dir=tmp_path / "data", db_url=store.url)
    ctx = AppContext(settings=settings, store=store, runner=InlineRunner())
    window = open_login(qtbot, ctx)
    assert window.stack.currentIndex() == 2, "a fresh store asks for the administrator, no default password"
    window.findChild(QLineEdit, "hallCodeEdit").setText("150929")
    type_text(window.findChild(QLineEdit, "hallNameEdit"), "四子王旗政务服务中心")
    type_text(window.findChild(QLineEdit, "adminNameEdit"), "赵敏")
    type_text(window.findChild(QLineEdit, "adminPasswordEdit"), "short")
    type_text(window.findChild(QLineEdit, "adminConfirmEdit"), "short")
    qtbot.mouseClick(window.findChild(QPushButton, "createAdminButton"), Qt.MouseButton.LeftButton)
    assert "密码太短" in window.findChild(QLabel, "adminError").text()
    for name in ("adminPasswordEdit", "adminConfirmEdit"):
        window.findChild(QLineEdit, name).setText("Zhaomin-2026")
    qtbot.mouseClick(window.findChild(QPushButton, "createAdminButton"), Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == 1, "then the login form"
    assert ctx.settings.hall.code == "150929"
    assert settings.source is not None
    saved = settings.source.read_text(encoding="utf-8")  # the hall is remembered for the next start …
    assert 'code = "150929"' in saved
    assert store.url not in saved and str(tmp_path / "data") not in saved  # … this run's --db/--data-dir are not
    with store.read() as session:
        admin = session.scalars(select(Clerk)).one()
        assert admin.role == "admin" and admin.password_hash.startswith("$argon2id$")
        assert session.get(Hall, "150929") is not None
    with qtbot.waitSignal(window.logged_in, timeout=5000):
        attempt(qtbot, window, "admin", "Zhaomin-2026")
    store.dispose()


def test_idle_lock_covers_the_screen_until_the_password(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store)
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    type_text(window.findChild(QLineEdit, "idNumberEdit"), "150929199001011234")
    lock = window.idle_lock
    lock.timer.setInterval(30)  # the same timer the setting drives, shortened for the test
    lock.timer.start()
    with qtbot.waitSignal(lock.locked, timeout=5000):
        pass
    cover = window.findChild(QLabel, "lockTitle").parentWidget()
    assert cover.isVisible() and cover.geometry() == window.rect()
    assert not window.centralWidget().isEnabled(), "nothing under the cover can be used"
    window.intake.submit(refuse=False)  # shortcuts are guarded too; nothing happens
    assert "其木格" in window.findChild(QLabel, "lockWho").text()

    with qtbot.waitSignal(lock.unlock_failed, timeout=5000):
        type_text(window.findChild(QLineEdit, "unlockPasswordEdit"), "wrong-password")
        qtbot.mouseClick(window.findChild(QPushButton, "unlockButton"), Qt.MouseButton.LeftButton)
    unlock_error = window.findChild(QLabel, "unlockError").text()
    assert lock.is_locked and "密码不正确" in unlock_error and "用户名" not in unlock_error

    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        type_text(window.findChild(QLineEdit, "unlockPasswordEdit"), DEMO_PASSWORD)
        qtbot.keyClick(window.findChild(QLineEdit, "unlockPasswordEdit"), Qt.Key.Key_Return)
    assert not lock.is_locked and window.centralWidget().isEnabled()
    assert window.findChild(QLineEdit, "idNumberEdit").text() == "150929199001011234", "the work is still there"


def test_lock_button_and_logout_from_the_cover(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store)
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.findChild(QPushButton, "lockButton"), Qt.MouseButton.LeftButton)
    assert window.idle_lock.is_locked
    with qtbot.waitSignal(window.logged_out, timeout=5000):
        qtbot.mouseClick(window.findChild(QPushButton, "lockLogoutButton"), Qt.MouseButton.LeftButton)
    assert actions(store, "clerk01")[-1] == "logout"
    assert window.queue_controller is not None and not window.queue_controller.timer.isActive(), \
        "a logged-out window no longer polls the queue for the seat it left"
