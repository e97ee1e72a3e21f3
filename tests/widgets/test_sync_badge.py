"""The sync badge shows what a clerk needs to know about the link, in Chinese, and signals real changes only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.clock import HallClock
from widgets.sync_badge import SyncBadge, SyncBadgeState, describe_time

NOW = dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC)


def make(qtbot: QtBot, now: dt.datetime = NOW) -> SyncBadge:
    badge = SyncBadge(now=lambda: now)
    qtbot.add_widget(badge)
    return badge


def test_states_read_plainly(qtbot: QtBot) -> None:
    badge = make(qtbot)
    assert badge.text() == "尚未同步"
    badge.set_state(SyncBadgeState(online=True, last_success=NOW))
    assert badge.text().startswith("已联网") and "上次同步 " in badge.text() and badge.tone() == "ok"
    badge.set_state(SyncBadgeState(online=False, pending=3, error="无法连接枢纽"))
    assert "离线" in badge.text() and "待发送 3 件" in badge.text() and badge.tone() == "offline"
    assert "无法连接枢纽" in badge.toolTip()
    badge.set_state(SyncBadgeState(online=True, pending=1, rejected=1, parked=1,
                                   problems=("拒收 150929-0001：payload.hall_code 缺失或无效",)))
    assert "需处理 2 件" in badge.text() and badge.tone() == "problem"
    assert "拒收 1 件" in badge.toolTip() and "暂停 1 件" in badge.toolTip()
    assert "150929-0001：payload.hall_code" in badge.toolTip()


def test_state_changed_fires_only_on_a_real_change(qtbot: QtBot) -> None:
    badge = make(qtbot)
    seen: list[object] = []
    badge.state_changed.connect(seen.append)
    state = SyncBadgeState(online=True, pending=2)
    badge.set_state(state)
    badge.set_state(SyncBadgeState(online=True, pending=2))
    assert seen == [state]


def test_buttons_signal_and_busy_disables_sync_now(qtbot: QtBot, tmp_path: Path) -> None:
    badge = make(qtbot)
    badge.show()
    button = badge.findChild(type(badge._button), "syncNowButton")
    assert button is not None
    with qtbot.waitSignal(badge.sync_requested):
        button.click()
    badge.set_state(SyncBadgeState(online=True, busy=True))
    assert not button.isEnabled() and "同步中" in badge.text()
    badge.set_state(SyncBadgeState(online=False, pending=12, rejected=1,
                                   last_success=NOW - dt.timedelta(days=1)))
    badge.resize(badge.sizeHint())
    badge.grab().save(str(tmp_path / "badge.png"))
    assert (tmp_path / "badge.png").stat().st_size > 0


@pytest.mark.date_sensitive
def test_the_last_sync_is_shown_on_the_hall_s_wall_clock_whatever_the_machine_zone(qtbot: QtBot) -> None:
    hall = HallClock.frozen("2026-03-02T00:10:00+08:00")  # just after the hall's midnight; UTC is still 03-01
    badge = make(qtbot, hall.local_now())
    badge.set_state(SyncBadgeState(online=True, last_success=hall.at(dt.date(2026, 3, 2), dt.time(0, 5))))
    assert "上次同步 00:05" in badge.text()
    yesterday = hall.at(dt.date(2026, 3, 1), dt.time(23, 55))
    assert describe_time(yesterday, hall.local_now()) == "03-01 23:55"
