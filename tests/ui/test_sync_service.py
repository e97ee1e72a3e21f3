"""The sync service runs the relay off the GUI thread and feeds the badge with what happened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.clock import HallClock
from app.settings import Settings
from app.store import Store, open_store
from app.store.models import Outbox
from sync.testbed import HubThread, add_device, seed_cases
from ui.sync_service import SyncService
from ui.tasks import TaskRunner
from widgets.sync_badge import SyncBadge, SyncBadgeState


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'client.db'}")
    yield store
    store.dispose()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[HubThread, str]]:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    token = add_device(db, "ui-test")
    hub = HubThread(db, tmp_path / "hub-files").start()
    yield hub, token
    hub.stop()


def settings_for(tmp_path: Path, hub_url: str, token: str) -> Settings:
    settings = Settings(data_dir=tmp_path)
    settings.sync.hub_url, settings.sync.token = hub_url, token
    settings.sync.connect_timeout, settings.sync.read_timeout = 2, 5
    return settings


def test_background_pass_sends_cases_and_updates_the_badge(qtbot: QtBot, client: Store, hub: tuple[HubThread, str],
                                                           tmp_path: Path) -> None:
    seed_cases(client, tmp_path / "files", 3)
    with client.read() as session:
        first = session.scalars(select(Outbox).order_by(Outbox.seq)).first()
        assert first is not None
        (tmp_path / "files" / first.payload["attachments"][0]["path"]).write_bytes(b"scanner overwrote it")
    runner = TaskRunner()
    service = SyncService(runner, client, settings_for(tmp_path, hub[0].url, hub[1]))
    badge = SyncBadge(now=HallClock().local_now)
    qtbot.add_widget(badge)
    service.status_changed.connect(badge.set_state)
    badge.sync_requested.connect(service.sync_now)
    with qtbot.waitSignal(service.status_changed, check_params_cb=lambda s: not s.busy, timeout=30000):
        service.start()
    state: SyncBadgeState = service.state()
    assert state.online is True and state.pending == 0 and state.last_success is not None
    assert state.rejected == 1 and "损坏" in state.problems[0]
    assert badge.text().startswith("已联网") and "需处理 1 件" in badge.text() and badge.tone() == "problem"
    service.stop().result(10)
    runner.shutdown()


def test_without_a_hub_the_badge_says_so_and_counts_waiting_cases(qtbot: QtBot, client: Store,
                                                                  tmp_path: Path) -> None:
    seed_cases(client, tmp_path / "files", 2)
    runner = TaskRunner()
    service = SyncService(runner, client, settings_for(tmp_path, "", ""))
    with qtbot.waitSignal(service.status_changed, check_params_cb=lambda s: not s.busy, timeout=30000):
        service.sync_now()
    state = service.state()
    assert state.pending == 2 and "未设置枢纽地址" in state.error
    runner.shutdown()
