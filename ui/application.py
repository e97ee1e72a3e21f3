"""The app shell: QApplication with a CJK font and the calm stylesheet, the store opened off the GUI thread
behind a small splash, then the chosen screen (counter → login → counter window; display/kiosk/rate/supervisor).

Other screens plug in as modules ``ui.<name>`` with ``create(ctx: AppContext, args: argparse.Namespace) -> QWidget``;
they are imported only when asked for.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.clock import system_now
from app.errors import CounterError
from app.paths import resource
from app.settings import Settings
from app.store import Store, open_store
from ui.context import AppContext
from ui.i18n import install_ui_translation
from ui.refcounts import pin_refcounts
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

STYLESHEET = resource("styles", "app.qss")
BUNDLED_FONT = resource("fonts", "wqy-microhei.ttc")  # shipped so a bare Windows/Linux image still shows 汉字
# First installed family wins: Windows, macOS, then the Linux CJK fonts the halls' images ship.
CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)
# Screens other engineers own: ``ui.<module>.create(ctx, args)``.
SCREENS = {"display": "ui.display", "kiosk": "ui.kiosk", "rate": "ui.rating", "supervisor": "ui.supervisor"}
SCREEN_TITLES = {"display": "大厅叫号显示屏", "kiosk": "自助取号机", "rate": "评价器", "supervisor": "统计看板"}


def make_qapp() -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt) with the CJK font and stylesheet applied."""
    pin_refcounts()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("综窗受理客户端")
    app.setApplicationDisplayName("综窗受理客户端")
    family = pick_cjk_family()
    if family:
        font = QFont(family)
        font.setPointSizeF(10.5)
        app.setFont(font)
    app.setStyleSheet(load_stylesheet())
    install_qt_chinese(app)
    return app


def install_qt_chinese(app: QApplication) -> None:
    """Qt's own words in Chinese too: the file dialog, standard buttons (确定 / 取消), the calendar popup, the
    context menu of a text field (复制 / 粘贴). Dates and numbers follow the Chinese locale."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if app.property("zcQtTranslation"):
        return
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)  # parented to the app: it must live as long as the app does
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        app.installTranslator(translator)
        app.setProperty("zcQtTranslation", True)
    else:
        log.warning("Qt's Chinese translation (qtbase_zh_CN.qm) not found in %s; Qt's own buttons stay English",
                    folder)


def pick_cjk_family() -> str | None:
    installed = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    if BUNDLED_FONT.exists():
        font_id = QFontDatabase.addApplicationFont(str(BUNDLED_FONT))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            return families[0]
    return None


def load_stylesheet() -> str:
    try:
        text = STYLESHEET.read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet %s missing; using Qt defaults", STYLESHEET)
        return ""
    # url() in a stylesheet is relative to the working directory, so images are named absolutely.
    return text.replace("@STYLES@", STYLESHEET.parent.as_posix())


# --- logging and the crash dialog ---------------------------------------------------------------------


def setup_logging(logs_dir: Path) -> Path | None:
    """A rotating ``app.log`` under the data directory; returns its path (None if the directory is unwritable)."""
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    path = logs_dir / "app.log"
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) and Path(h.baseFilename) == path
               for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return path


def write_crash_log(logs_dir: Path, exc_type: type[BaseException], exc: BaseException,
                    tb: TracebackType | None) -> Path | None:
    """Write the traceback to ``logs/crash-<time>.log``; the path is shown to the clerk for the admin."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("unexpected error:\n%s", text)
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        # Machine time (UTC) names the log: a crash may come before there is a hall clock to ask.
        path = logs_dir / f"crash-{system_now():%Y%m%d-%H%M%S-%f}Z.log"
        path.write_text(text, encoding="utf-8")
        return path
    except OSError:
        return None


class CrashHandler:
    """``sys.excepthook`` for the GUI: expected errors show their one line; anything else is logged with its
    traceback and a calm dialog says what happened. The clerk can carry on — every store write is one transaction,
    so nothing is half-saved."""

    def __init__(self, logs_dir: Path, *, show: Callable[[str, str], None] | None = None) -> None:
        self.logs_dir = logs_dir
        self._show = show or _show_dialog
        self._showing = False
        self.last_log: Path | None = None

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        if isinstance(exc, CounterError):
            log.warning("expected error reached the event loop: %s", exc.message)
            title, text = "提示", exc.message
        else:
            self.last_log = write_crash_log(self.logs_dir, exc_type, exc, tb)
            where = f"\n\n详细记录已保存到：{self.last_log}" if self.last_log else ""
            title = "程序出现意外错误"
            text = ("程序遇到了一个意外问题，刚才的操作没有完成。已保存的办件不受影响，未完成的操作已撤销。\n"
                    "您可以继续使用；如果反复出现，请联系系统管理员。" + where)
        if self._showing:  # an error inside the dialog itself must not stack dialogs
            return
        self._showing = True
        try:
            self._show(title, text)
        finally:
            self._showing = False


def _show_dialog(title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok)
    box.setObjectName("crashDialog")
    box.button(QMessageBox.StandardButton.Ok).setText("继续")
    box.exec()


# --- the splash ------------------------------------------------------------------------------------------


class Splash(QWidget):
    """A small window shown while the store opens (migrations, demo seeding)."""

    def __init__(self, text: str) -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("startupSplash")
        self.setWindowTitle("综窗受理客户端")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        title = QLabel("综窗受理客户端")
        title.setObjectName("splashTitle")
        self.status = QLabel(text)
        self.status.setObjectName("splashStatus")
        bar = QProgressBar()
        bar.setObjectName("splashProgress")
        bar.setRange(0, 0)  # busy indicator: opening the store has no measurable steps
        bar.setTextVisible(False)
        layout.addWidget(title)
        layout.addWidget(self.status)
        layout.addWidget(bar)
        self.setFixedSize(380, 140)


# --- the shell -----------------------------------------------------------------------------------------


COUNTER_MODULES = ("ui.counter", "ui.counter_intake", "ui.queue_controller", "ui.sync_service", "widgets.sync_badge",
                   "ui.lock", "ui.device_service")


def prepare_counter_imports() -> None:
    """Import what the counter window needs (runs on a worker thread while the login is shown). A module that is
    missing or fails here fails again, visibly, where the window imports it."""
    for name in COUNTER_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # reported where the window itself imports it
            log.debug("preloading %s failed", name, exc_info=True)


UPKEEP_CHECK_MS = 30 * 60 * 1000  # how often a running screen looks whether a new hall day needs its upkeep


def open_for_screen(settings: Settings) -> Store:
    """Runs on the store thread: open and migrate the store; in demo mode seed the demo hall."""
    from app.settings import secure_paths

    secure_paths(settings)
    store = open_store(settings.db_url, key_file=settings.key_file)  # refuses a damaged file, naming the newest good backup
    from app.upkeep import start_of_day

    start_of_day(store, settings)  # once a hall day: backup, orphan sweep, audit anchor, retention
    if settings.demo:
        from app.demo import seed_demo_hall

        seed_demo_hall(store)
    return store


class Shell(QObject):
    """Owns the top-level windows of one run.

    Signals:
        ready(AppContext): the store is open and the first screen is shown.
        failed(str): the store could not be opened; the message has been shown to the clerk.
        quit_requested(int): the run should end with this exit code (``run`` connects it to the event loop).
    """

    ready = Signal(object)
    failed = Signal(str)
    quit_requested = Signal(int)

    def __init__(self, screen: str, settings: Settings, args: argparse.Namespace, runner: TaskRunner,
                 *, opener: Callable[[Settings], Store] = open_for_screen) -> None:
        super().__init__()
        self.screen = screen
        self.settings = settings
        self.args = args
        self.runner = runner
        self.opener = opener
        self.ctx: AppContext | None = None
        self.splash: Splash | None = None
        self.windows: list[QWidget] = []  # strong references: top-level windows without a parent
        self.upkeep_timer: QTimer | None = None  # started once the store is open (``_keep_daily_upkeep``)

    def start(self) -> None:
        self.splash = Splash("正在打开数据库…" if not self.settings.demo else "正在准备演示大厅…")
        self.splash.show()
        settings = self.settings
        self.runner.submit(lambda: self.opener(settings), self._on_store, self._on_store_error)

    def current_window(self) -> QWidget | None:
        for window in reversed(self.windows):
            if window.isVisible():
                return window
        return self.splash if self.splash is not None and self.splash.isVisible() else None

    def _close_splash(self) -> None:
        if self.splash is not None:
            self.splash.close()
            self.splash = None

    def _on_store_error(self, exc: BaseException) -> None:
        self._close_splash()
        message = exc.message if isinstance(exc, CounterError) else f"无法打开数据库：{exc}"
        box = QMessageBox(QMessageBox.Icon.Critical, "无法启动", message, QMessageBox.StandardButton.Ok)
        box.setObjectName("startupErrorDialog")
        box.button(QMessageBox.StandardButton.Ok).setText("退出")
        restore_button = self._offer_restore(box, exc)
        self.windows.append(box)

        def finished(_result: int) -> None:
            if restore_button is not None and box.clickedButton() is restore_button:
                self._restore_backup(exc)
            else:
                self.quit_requested.emit(1)

        box.finished.connect(finished)
        box.show()
        self.failed.emit(message)

    @staticmethod
    def _offer_restore(box: QMessageBox, exc: BaseException) -> QPushButton | None:
        """A damaged store with a good backup: offer that backup with one click (the clerk cannot be expected
        to type ``python -m app db restore``)."""
        from app.store.backup import DamagedStoreError

        if not isinstance(exc, DamagedStoreError) or exc.good is None:
            return None
        button = box.addButton("恢复这份备份", QMessageBox.ButtonRole.AcceptRole)
        button.setObjectName("restoreBackupButton")
        box.setDefaultButton(button)
        box.setInformativeText(
            f"也可以直接点“恢复这份备份”：用 {exc.good.taken_at:%Y-%m-%d %H:%M} 的备份替换损坏的文件（损坏的文件改名"
            "保留，不会删除），然后重新打开。请先关闭本机的其他窗口程序（叫号屏、评价器、取号机），恢复后补录这份备份之后"
            "受理的办件。")
        return button

    def _restore_backup(self, exc: BaseException) -> None:
        """Put the offered backup in place (on the store thread), then open the store again as at start."""
        from app.store.backup import DamagedStoreError, restore

        assert isinstance(exc, DamagedStoreError) and exc.good is not None
        db, source, clock = exc.db, exc.good.path, self.settings.hall_clock()
        self.splash = Splash("正在恢复备份…")
        self.splash.show()

        def restored(aside: Path) -> None:
            log.warning("restored %s from %s; the damaged file is kept as %s", db, source, aside)
            self._close_splash()
            self.start()

        self.runner.submit(lambda: restore(db, source, clock=clock), restored, self._on_store_error)

    def _on_store(self, store: Store) -> None:
        window = getattr(self.args, "window", None) or self.settings.hall.window or None
        self.ctx = AppContext(settings=self.settings, store=store, runner=self.runner, window_number=window)
        self._close_splash()
        self._keep_daily_upkeep(store)
        if self.screen == "counter":
            self.show_login()
        else:
            self._show_other(self.screen)
        self.ready.emit(self.ctx)

    def _keep_daily_upkeep(self, store: Store) -> None:
        """A screen left running overnight (a hall PC is often never shut down) still backs up, sweeps, anchors
        the audit chain and applies retention each hall day: the start's upkeep is tried again every
        ``UPKEEP_CHECK_MS`` on the store thread, and does nothing until the hall's date has changed (the day is
        remembered in the store)."""
        from app.upkeep import start_of_day

        settings = self.settings

        def failed(exc: BaseException) -> None:
            log.warning("daily upkeep could not run: %s", getattr(exc, "message", exc))

        self.upkeep_timer = QTimer(self)
        self.upkeep_timer.setInterval(UPKEEP_CHECK_MS)
        self.upkeep_timer.timeout.connect(
            lambda: self.runner.submit(lambda: start_of_day(store, settings), None, failed))
        self.upkeep_timer.start()

    def _show(self, widget: QWidget) -> None:
        self.windows = [w for w in self.windows if w.isVisible()]
        self.windows.append(widget)
        widget.show()

    def show_login(self) -> None:
        from ui.login import LoginWindow

        assert self.ctx is not None
        self.ctx.clerk = None
        login = LoginWindow(self.ctx)
        login.logged_in.connect(lambda clerk, number: self._on_logged_in(login, clerk, number))
        self._show(login)
        # While the clerk types, load the counter window's modules off the GUI thread (≈ 0.2 s of imports the
        # click on 登录 would otherwise wait for). Only imports: widgets are built on the GUI thread.
        self.runner.submit(prepare_counter_imports, None, lambda _exc: None, pool="io")

    def _on_logged_in(self, login: QWidget, clerk: Any, window_number: int) -> None:
        from ui.counter import CounterWindow

        assert self.ctx is not None
        self.ctx.clerk = clerk
        self.ctx.window_number = window_number
        counter = CounterWindow(self.ctx)
        counter.logged_out.connect(lambda: self._on_logged_out(counter))
        self._show(counter)
        login.close()

    def _on_logged_out(self, counter: QWidget) -> None:
        counter.close()
        self.show_login()

    def _show_other(self, screen: str) -> None:
        assert self.ctx is not None
        module_name = SCREENS.get(screen)
        try:
            if module_name is None:
                raise ImportError(screen)
            module = importlib.import_module(module_name)
        except ImportError:
            log.exception("screen %s not available", screen)
            title = SCREEN_TITLES.get(screen, screen)
            box = QMessageBox(QMessageBox.Icon.Warning, "无法打开", f"本机未安装“{title}”界面，请联系系统管理员。",
                              QMessageBox.StandardButton.Ok)
            box.setObjectName("screenMissingDialog")
            box.finished.connect(lambda _r: self.quit_requested.emit(1))
            self._show(box)
            return
        self._show(module.create(self.ctx, self.args))


def schedule_screenshot(shell: Shell, png: str | None, quit_after: float) -> None:
    """``--screenshot PNG --quit-after S``: S seconds after the first screen is up (or the start failed), grab
    the front window to PNG and quit. Counting from the screen, not the process start, keeps slow first starts
    (migrations, demo seeding) from producing a picture of the splash."""
    if not png and quit_after <= 0:
        return
    delay_ms = int((quit_after if quit_after > 0 else 2.0) * 1000)

    def grab_and_quit() -> None:
        window = shell.current_window()
        if png and window is not None:
            Path(png).parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(png)
        shell.quit_requested.emit(0)

    def arm(*_args: object) -> None:
        QTimer.singleShot(delay_ms, grab_and_quit)

    shell.ready.connect(arm)
    shell.failed.connect(arm)


def run(screen: str, settings: Settings, args: argparse.Namespace) -> int:
    """Start the GUI on ``screen`` (counter | display | kiosk | rate | supervisor) and run until it quits."""
    app = make_qapp()
    install_ui_translation(app, settings.language.ui)  # before any window is built: they read it once
    logs_dir = settings.data_dir / "logs"
    setup_logging(logs_dir)
    previous_hook = sys.excepthook
    sys.excepthook = CrashHandler(logs_dir)
    runner = TaskRunner()
    shell = Shell(screen, settings, args, runner)
    shell.quit_requested.connect(app.exit)
    schedule_screenshot(shell, getattr(args, "screenshot", None), float(getattr(args, "quit_after", 0) or 0))
    shell.start()
    try:
        code = app.exec()
    finally:
        sys.excepthook = previous_hook
        runner.shutdown()
        if shell.ctx is not None:
            shell.ctx.store.dispose()
    return int(code)
