"""The idle lock: after ``Settings.counter.idle_lock_minutes`` without keyboard or mouse input the counter window
is covered (an applicant's personal data is on it) until the clerk types their password again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import auth
from app.auth import ClerkView
from app.errors import CounterError
from ui.context import AppContext

ACTIVITY_EVENTS = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


class LockOverlay(QWidget):
    """An opaque cover over the whole window with the password field."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.title = QLabel("屏幕已锁定")
        self.title.setObjectName("lockTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.title.setFont(font)
        self.who = QLabel("")
        self.who.setObjectName("lockWho")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("unlockPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("输入密码解锁")
        self.password_edit.setMinimumWidth(280)
        self.unlock_button = QPushButton("解锁 (Enter)")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setProperty("role", "primary")
        self.logout_button = QPushButton("换人登录")
        self.logout_button.setObjectName("lockLogoutButton")
        self.error = QLabel("")
        self.error.setObjectName("unlockError")
        self.error.setStyleSheet("color: #ffd7d2;")
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.password_edit)
        row.addWidget(self.unlock_button)
        row.addWidget(self.logout_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for label in (self.title, self.who, self.error):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        layout.addWidget(self.who)
        layout.addSpacing(16)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch(3)


class IdleLock(QObject):
    """Watches the application's input and locks ``window`` when the clerk has been away.

    Signals:
        locked(): the cover is up.
        unlocked(): the clerk typed the right password.
        logout_requested(): the clerk chose to hand the window over (log out).
        unlock_failed(str): the password was refused (message shown on the cover).
    """

    locked = Signal()
    unlocked = Signal()
    logout_requested = Signal()
    unlock_failed = Signal(str)

    def __init__(self, ctx: AppContext, window: QWidget, *, minutes: int | None = None) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        minutes = ctx.settings.counter.idle_lock_minutes if minutes is None else minutes
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(self.lock)
        self.enabled = minutes > 0
        self.overlay = LockOverlay(window)
        self.overlay.hide()
        self.overlay.password_edit.returnPressed.connect(self.try_unlock)
        self.overlay.unlock_button.clicked.connect(self.try_unlock)
        self.overlay.logout_button.clicked.connect(self.logout_requested)
        self._disabled: list[QWidget] = []
        self._checking = False
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if self.enabled:
            self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.overlay.isVisible()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self.overlay.setGeometry(self.window.rect())
        elif event.type() in ACTIVITY_EVENTS and self.enabled and not self.is_locked:
            self.timer.start()  # restart: the clerk is here
        return False

    def lock(self) -> None:
        if self.is_locked:
            return
        self.timer.stop()
        clerk: ClerkView | None = self.ctx.clerk
        self.overlay.who.setText(f"{clerk.name}（{clerk.username}）· {self.ctx.window_number or '-'} 号窗口"
                                 if clerk else "")
        self.overlay.error.setText("")
        self.overlay.password_edit.clear()
        # Everything under the cover is disabled so shortcuts cannot act on the hidden screen.
        self._disabled = [w for w in self.window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                          if w is not self.overlay and w.isEnabled()]
        for widget in self._disabled:
            widget.setEnabled(False)
        self.overlay.setGeometry(self.window.rect())
        self.overlay.show()
        self.overlay.raise_()
        self.overlay.password_edit.setFocus()
        self.locked.emit()

    def try_unlock(self) -> None:
        clerk = self.ctx.clerk
        if clerk is None or self._checking:
            return
        password = self.overlay.password_edit.text()
        self._checking = True
        self.overlay.unlock_button.setEnabled(False)
        ctx = self.ctx
        counter = ctx.settings.counter
        ctx.runner.submit(
            lambda: auth.authenticate(ctx.store, clerk.username, password, host=ctx.host, clock=ctx.clock,
                                      max_failures=counter.login_max_failures,
                                      lock_minutes=counter.login_lock_minutes),
            self._on_unlocked, self._on_refused)

    def _on_unlocked(self, _clerk: ClerkView) -> None:
        self._checking = False
        self.overlay.unlock_button.setEnabled(True)
        self.overlay.hide()
        for widget in self._disabled:
            widget.setEnabled(True)
        self._disabled = []
        if self.enabled:
            self.timer.start()
        self.unlocked.emit()

    def _on_refused(self, exc: BaseException) -> None:
        self._checking = False
        self.overlay.unlock_button.setEnabled(True)
        message = exc.message if isinstance(exc, CounterError) else "解锁时出现意外错误"
        # Only the password is asked here (the name is on the screen), so "用户名或密码错误" would mislead.
        message = message.replace(auth.BAD_CREDENTIALS, "密码不正确")
        self.overlay.error.setText(message)
        self.overlay.password_edit.clear()
        self.overlay.password_edit.setFocus()
        self.unlock_failed.emit(message)

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
