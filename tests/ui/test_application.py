"""The app shell: the store opens behind the splash, login leads to the counter and logout back; a store that
cannot open and a missing screen each end in a calm message; unexpected errors are logged and shown calmly; and
``python -m app --demo --screenshot`` really starts, draws the login window and quits."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.errors import StoreError, ValidationError
from app.settings import Settings, load_settings
from app.store import Store, open_store
from app.store.backup import backup, list_backups
from app.store.models import AuditEvent, Outbox, Window
from tests.app.test_backup import corrupt, fill
from tests.conftest import REPO
from tests.hall_clock import on
from tests.ui._counter_kit import demo_store
from ui.application import CrashHandler, Shell, pick_cjk_family
from ui.counter import CounterWindow
from ui.login import LoginWindow
from ui.tasks import InlineRunner


def demo_settings(tmp_path: Path, store: Store) -> Settings:
    settings = load_settings(data_dir=tmp_path / "data", db_url=store.url, demo=True)
    assert settings.hall.code == "150929"  # --demo is the demo hall whatever the settings file says
    return settings


def test_shell_opens_login_then_counter_then_login_again(qtbot: QtBot, tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    shell = Shell("counter", demo_settings(tmp_path, store), argparse.Namespace(window=2), InlineRunner(),
                  opener=lambda _s: store)
    with qtbot.waitSignal(shell.ready, timeout=5000):
        shell.start()
    login = shell.current_window()
    assert isinstance(login, LoginWindow) and login.isVisible()
    assert shell.splash is None
    assert login.window_combo.currentData() == 2, "--window preselects the window"
    login.username_edit.setText("clerk05")
    login.password_edit.setText("demo1234")
    login.submit_login()
    counter = shell.current_window()
    assert isinstance(counter, CounterWindow) and not login.isVisible()
    assert shell.ctx is not None and shell.ctx.clerk is not None and shell.ctx.clerk.username == "clerk05"
    assert "乌云" in counter.who.text() and "2 号窗口" in counter.who.text()
    qtbot.addWidget(counter)
    counter.log_out()
    again = shell.current_window()
    assert isinstance(again, LoginWindow) and again is not login and shell.ctx.clerk is None
    for window in shell.windows:
        window.close()
    store.dispose()


def test_store_failure_is_one_calm_message(qtbot: QtBot, tmp_path: Path) -> None:
    def broken(_settings: Settings) -> Store:
        raise StoreError("无法连接数据库（postgresql://hall-db/zc）：connection refused")

    shell = Shell("counter", load_settings(data_dir=tmp_path), argparse.Namespace(), InlineRunner(), opener=broken)
    with qtbot.waitSignal(shell.failed, timeout=5000) as blocker:
        shell.start()
    assert "无法连接数据库" in blocker.args[0]
    box = shell.current_window()
    assert isinstance(box, QMessageBox) and box.objectName() == "startupErrorDialog"
    assert box.text() == blocker.args[0]
    box.close()


def test_a_damaged_store_offers_its_latest_good_backup_and_restores_it_with_one_click(qtbot: QtBot,
                                                                                     tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    store = open_store(settings.db_url)
    fill(store, 300)
    good = backup(store, clock=on(dt.date(2026, 12, 1)))
    store.dispose()
    db = settings.data_dir / "counter.db"
    corrupt(db)
    shell = Shell("counter", settings, argparse.Namespace(), InlineRunner())  # the real opener
    with qtbot.waitSignal(shell.failed, timeout=10000) as failed:
        shell.start()
    assert str(good.path) in failed.args[0]
    box = shell.current_window()
    assert isinstance(box, QMessageBox) and box.objectName() == "startupErrorDialog"
    button = box.findChild(QPushButton, "restoreBackupButton")
    assert button is not None and button.text() == "恢复这份备份" and box.defaultButton() is button
    assert "2026-12-01" in box.informativeText() and "改名保留" in box.informativeText()
    quits: list[int] = []
    shell.quit_requested.connect(quits.append)
    with qtbot.waitSignal(shell.ready, timeout=20000) as ready:
        button.click()
    assert not quits, "restoring must not quit the program"
    assert isinstance(shell.current_window(), LoginWindow)
    assert [p.name for p in db.parent.glob("counter.db.damaged-*")], "the damaged file is kept"
    with ready.args[0].store.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "login.ok")) == 300
    for window in shell.windows:
        window.close()
    ready.args[0].store.dispose()


def test_a_damaged_store_without_a_good_backup_offers_no_restore(qtbot: QtBot, tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    store = open_store(settings.db_url)
    fill(store, 300)
    store.dispose()
    corrupt(settings.data_dir / "counter.db")
    shell = Shell("counter", settings, argparse.Namespace(), InlineRunner())
    with qtbot.waitSignal(shell.failed, timeout=10000) as failed:
        shell.start()
    assert "没有找到可用的备份" in failed.args[0]
    box = shell.current_window()
    assert isinstance(box, QMessageBox) and box.findChild(QPushButton, "restoreBackupButton") is None
    box.close()


def test_a_screen_left_running_overnight_does_the_next_days_upkeep(qtbot: QtBot, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    made = open_store(settings.db_url)
    fill(made, 3)  # an audit chain to anchor
    made.dispose()
    monkeypatch.setenv("ZC_CLOCK_AT", "2026-11-23T09:00:00+08:00")
    shell = Shell("counter", settings, argparse.Namespace(), InlineRunner())  # the real opener: the start's upkeep
    with qtbot.waitSignal(shell.ready, timeout=20000) as ready:
        shell.start()
    store = ready.args[0].store
    db = settings.data_dir / "counter.db"

    def anchors() -> int:
        with store.read() as session:
            return len(session.scalars(select(Outbox).where(Outbox.kind == "audit.anchor")).all())

    assert len(list_backups(db)) == 1 and anchors() == 1
    timer = shell.upkeep_timer
    assert timer is not None and timer.isActive() and timer.interval() <= 60 * 60 * 1000
    timer.timeout.emit()  # later the same hall day: nothing again
    assert len(list_backups(db)) == 1 and anchors() == 1
    monkeypatch.setenv("ZC_CLOCK_AT", "2026-11-24T08:00:00+08:00")  # the PC was never shut down
    timer.timeout.emit()
    assert len(list_backups(db)) == 2 and anchors() == 2
    for window in shell.windows:
        window.close()
    store.dispose()


def test_missing_screen_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    shell = Shell("nosuch", demo_settings(tmp_path, store), argparse.Namespace(), InlineRunner(),
                  opener=lambda _s: store)
    shell.start()
    box = shell.current_window()
    assert isinstance(box, QMessageBox) and box.objectName() == "screenMissingDialog"
    assert "未安装" in box.text()
    box.close()
    store.dispose()


def test_crash_handler_logs_traceback_and_shows_calm_text(tmp_path: Path) -> None:
    shown: list[tuple[str, str]] = []
    handler = CrashHandler(tmp_path / "logs", show=lambda title, text: shown.append((title, text)))
    try:
        raise KeyError("boom")
    except KeyError as exc:
        handler(type(exc), exc, exc.__traceback__)
    assert handler.last_log is not None and "KeyError: 'boom'" in handler.last_log.read_text(encoding="utf-8")
    title, text = shown[0]
    assert title == "程序出现意外错误" and "Traceback" not in text and str(handler.last_log) in text
    # An expected error that escaped a slot shows just its message.
    err = ValidationError("申请人证件号码有误")
    handler(type(err), err, None)
    assert shown[1] == ("提示", "申请人证件号码有误")


def test_a_cjk_font_is_available(qtbot: QtBot) -> None:
    assert pick_cjk_family() is not None


@pytest.mark.skipif(sys.platform != "linux", reason="offscreen platform check is Linux-only here")
def test_python_m_app_demo_draws_the_login_window(tmp_path: Path) -> None:
    png = tmp_path / "login.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ZC_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, "-m", "app", "--demo", "--data-dir", str(tmp_path / "data"), "--screenshot", str(png),
         "--quit-after", "0.5"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 800
    assert (tmp_path / "data" / "counter.db").exists(), "the demo hall was seeded into the data directory"


def test_threaded_runner_takes_a_case_end_to_end(qtbot: QtBot, tmp_path: Path) -> None:
    """The production runner (store work on its own thread, callbacks queued back): login, accept, look up."""
    from ui.tasks import TaskRunner

    store = demo_store(tmp_path)
    settings = demo_settings(tmp_path, store)
    settings.counter.auto_print = False
    runner = TaskRunner()
    shell = Shell("counter", settings, argparse.Namespace(window=1), runner, opener=lambda _s: store)
    with qtbot.waitSignal(shell.ready, timeout=10000):
        shell.start()
    login = shell.current_window()
    assert isinstance(login, LoginWindow)
    qtbot.waitUntil(lambda: login.stack.currentIndex() == 1, timeout=10000)
    login.username_edit.setText("clerk01")
    login.password_edit.setText("demo1234")
    with qtbot.waitSignal(login.logged_in, timeout=10000):
        login.submit_login()
    counter = shell.current_window()
    assert isinstance(counter, CounterWindow)
    qtbot.addWidget(counter)
    intake = counter.intake
    qtbot.waitUntil(lambda: intake.resources is not None, timeout=10000)
    intake.applicant.id_edit.setText("150929199001011234")
    intake.applicant.name_edit.setText("其其格")
    matter = intake.resources.index.get("150929-GJJ-002")  # type: ignore[union-attr]
    intake.search.choose(matter)
    intake.checklist.mark_all_received()
    # 受理 is offered once the service's decision for the form as it stands is back from the store thread.
    qtbot.waitUntil(lambda: intake.accept_button.isEnabled(), timeout=10000)
    with qtbot.waitSignal(intake.case_accepted, timeout=10000) as blocker:
        intake.submit(refuse=False)
    case_no = blocker.args[0].summary.case_no
    with qtbot.waitSignal(counter.lookup.case_shown, timeout=10000) as shown:
        counter.lookup.open_case(case_no)
    assert shown.args[0].state == "accepted"
    counter.close()  # frees the window seat on the store thread
    # Let queued work finish before shutting the pools (a cancelled future would reach its callback).
    qtbot.waitUntil(lambda: runner._running == 0, timeout=10000)
    runner.shutdown()
    with store.read() as session:
        assert session.scalars(select(Window.clerk_id).where(Window.number == 1)).one() is None
    store.dispose()


DAY_OF_CALLS = """
import sys
sys.path.insert(0, {repo!r})
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from ui.refcounts import pin_refcounts
emits = sys.getrefcount(True) + 5000  # more emits than True has references
calls = sys.getrefcount(None) + 5000  # more void calls than None has references
if {pin}:
    pin_refcounts()
app = QCoreApplication([])
class Ticker(QObject):
    tick = Signal()
ticker = Ticker()
ticker.tick.connect(lambda: None)
timer = QTimer()
if {what!r} == "emit":
    for _ in range(emits):
        ticker.tick.emit()
else:
    for _ in range(calls):
        timer.stop()
print("ok")
"""


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True and None are immortal from CPython 3.12")
@pytest.mark.parametrize("what", ["emit", "void"])
def test_a_long_day_of_qt_calls_does_not_crash_the_app(what: str) -> None:
    """PySide6 6.12 drops a reference to True on every emit and to None on every call of a method returning
    nothing; without the guard the process dies (none_dealloc / bool_dealloc)."""
    script = DAY_OF_CALLS.format(repo=str(REPO), pin=True, what=what)
    guarded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert guarded.returncode == 0 and guarded.stdout.strip() == "ok", guarded.stderr[-500:]
    bare = subprocess.run([sys.executable, "-c", DAY_OF_CALLS.format(repo=str(REPO), pin=False, what=what)],
                          capture_output=True, text=True, timeout=120)
    if bare.returncode == 0:
        pytest.fail(f"PySide6 no longer drops references ({what}): pin_refcounts can be removed")


def test_qt_own_words_are_chinese(qapp: object) -> None:
    """Qt's standard buttons and dialogs speak Chinese, not only our own labels."""
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.application import make_qapp

    make_qapp()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    texts = {box.button(QDialogButtonBox.StandardButton.Ok).text(),
             box.button(QDialogButtonBox.StandardButton.Cancel).text()}
    assert texts == {"确定", "取消"}, texts
