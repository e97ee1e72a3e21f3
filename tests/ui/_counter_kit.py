"""Shared set-up for the counter GUI tests: a seeded demo hall on a fresh SQLite file and a logged-in clerk."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from app import auth
from app.clock import HallClock
from app.demo import DEMO_HALL_CODE, DEMO_HALL_NAME, DEMO_PASSWORD, seed_demo_hall
from app.settings import load_settings
from app.store import Store, open_store
from tests.hall_clock import CLOCK
from ui.context import AppContext
from ui.tasks import InlineRunner, TaskRunner

APPLICANT_ID = "150929199001011234"  # valid GB 11643 number, 四子王旗, 1990-01-01, 男
OTHER_ID = "150929197007073453"
PROXY_ID = "15092919850315234X"
LOAN = "150929-GJJ-002"  # 住房公积金个人住房贷款申请: core id_card/contract, pledgeable marital, deferrable income


class HeldRunner(InlineRunner):
    """Holds submitted tasks until ``release()``: lets a test click twice while the first accept is "running"."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[Callable[[], None]] = []

    def submit(self, fn: Any, on_done: Any = None, on_error: Any = None, *, pool: str = "store") -> Future[Any]:
        future: Future[Any] = Future()
        self.held.append(lambda: InlineRunner.submit(self, fn, on_done, on_error, pool=pool))
        return future

    def release(self) -> int:
        count = 0
        while self.held:
            self.held.pop(0)()
            count += 1
        return count


_template: list[Path] = []


def demo_store(tmp_path: Path) -> Store:
    """A fresh copy of a demo hall seeded once per test process (seeding pays for many fsyncs and hashes)."""
    if not _template:
        folder = Path(tempfile.mkdtemp(prefix="zc-demo-template-"))
        seeded = open_store(f"sqlite:///{(folder / 'counter.db').as_posix()}")
        seed_demo_hall(seeded)
        with seeded.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        seeded.dispose()
        _template.append(folder / "counter.db")
    target = tmp_path / "counter.db"
    shutil.copyfile(_template[0], target)
    return open_store(f"sqlite:///{target.as_posix()}")


def demo_ctx(tmp_path: Path, store: Store, *, runner: TaskRunner | None = None, window: int | None = 1,
             login: str | None = "clerk01", auto_print: bool = False, clock: HallClock | None = None) -> AppContext:
    """A context on the demo hall; ``clock`` defaults to the machine's time in the demo hall's zone (Asia/Shanghai)
    — pass ``HallClock.frozen(...)`` where the test is about a day."""
    settings = load_settings(data_dir=tmp_path / "data", db_url=store.url, demo=True)
    settings.hall.code = DEMO_HALL_CODE
    settings.hall.name = DEMO_HALL_NAME
    settings.counter.auto_print = auto_print
    ctx = AppContext(settings=settings, store=store, runner=runner or InlineRunner(), window_number=window,
                     clock=clock or HallClock("Asia/Shanghai"))
    if login:
        ctx.clerk = auth.authenticate(store, login, DEMO_PASSWORD, host="test", clock=CLOCK)
    return ctx


def type_text(widget: Any, text: str) -> None:
    """Type ``text`` key by key, Chinese included (QTest.keyClicks only knows ASCII)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
