"""The kiosk with its hall server (PostgreSQL) made unreachable: it keeps issuing and printing from its local copy,
says nothing alarming, and on reconnect the tickets join the hall's queue once, in issue order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import queue as q
from app.clock import HallClock
from app.store import Store, open_store
from tests.app.queue_hall import DAY, HALL, clock_at
from tests.app.test_queue_offline import cut, restore
from tests.conftest import PgCluster
from tests.ui.queue_ctx import hall_context
from ui.kiosk import Kiosk
from ui.kiosk_checkin import CHECKIN_OFFLINE

ALARMING = ("失败", "错误", "服务器", "数据库", "离线", "连接", "作废")


@pytest.fixture
def hall(pg_url: str) -> Iterator[tuple[Store, str]]:
    store = open_store(pg_url)
    yield store, pg_url.rsplit("/", 1)[1]
    store.dispose()


def _kiosk(qtbot: QtBot, store: Store, tmp_path: Path, clock: HallClock, *, make: bool = True) -> Kiosk:
    ctx = hall_context(store, hall=make, clock=clock)
    ctx.settings.printing.output_dir = str(tmp_path / "tickets")
    ctx.settings.data_dir = tmp_path / "kiosk-data"
    ctx.settings.queue.offline_block = 6
    kiosk = Kiosk(ctx, cooldown_ms=0)
    qtbot.addWidget(kiosk)
    kiosk.resize(1024, 768)
    kiosk.show()
    return kiosk


def _take(qtbot: QtBot, kiosk: Kiosk, category: str) -> q.TicketView:
    qtbot.waitUntil(lambda: not kiosk.busy)
    with qtbot.waitSignal(kiosk.issued, timeout=20000) as blocker:
        kiosk.category_buttons[category].click()
    ticket: q.TicketView = blocker.args[0]
    return ticket


def _tickets(store: Store) -> list[tuple[str, str]]:
    with store.read() as s:
        return [(t.code, t.state) for t in q.list_tickets(s, hall_code=HALL, service_date=DAY)]


def test_the_kiosk_keeps_issuing_through_an_outage_and_the_tickets_join_once(
        qtbot: QtBot, pg_cluster: PgCluster, hall: tuple[Store, str], tmp_path: Path) -> None:
    store, db = hall
    clock = clock_at(0)
    kiosk = _kiosk(qtbot, store, tmp_path, clock)
    assert _take(qtbot, kiosk, "A").code == "A001"

    cut(pg_cluster, db)
    clock.advance(minutes=1)
    taken = []
    for category in ("B", "A", "A"):
        clock.advance(minutes=1)
        taken.append(_take(qtbot, kiosk, category))
        status = kiosk.status.text()
        assert f"请取走号票　{taken[-1].code}" in status and not any(w in status for w in ALARMING), status
        assert kiosk.status.property("error") is not True
    assert [t.code for t in taken] == ["B001", "A002", "A003"]
    assert kiosk.offline_since is not None
    assert len(list((tmp_path / "tickets").glob("*.pdf"))) == 4  # every ticket printed
    # Beyond the reserved block's half nothing changes for the applicant: the rest of the block still issues.
    clock.advance(minutes=1)
    assert _take(qtbot, kiosk, "A").code == "A004"
    # An appointment needs the server: the kiosk says what to do instead.
    kiosk.appointment_edit.setText("ABC123")
    qtbot.waitUntil(lambda: not kiosk.busy)
    with qtbot.waitSignal(kiosk.failed) as failed:
        kiosk.check_in()
    assert failed.args[0] == CHECKIN_OFFLINE
    kiosk.sync_now()  # still gone: nothing joins, nothing is lost
    assert [t.code for t in kiosk.journal.tickets("printed")] == ["B001", "A002", "A003", "A004"]

    restore(pg_cluster, db)
    clock.advance(minutes=5)
    kiosk.sync_now()
    assert kiosk.offline_since is None
    assert _tickets(store) == [("A001", "waiting"), ("B001", "waiting"), ("A002", "waiting"),
                               ("A003", "waiting"), ("A004", "waiting")]
    kiosk.sync_now()  # a second reconnect adds nothing
    assert len(_tickets(store)) == 5
    clock.advance(minutes=1)
    after = _take(qtbot, kiosk, "A")  # online again: the block topped up, the count ahead is back
    assert after.code == "A005" and after.id and "前面还有 4 人" in kiosk.status.text()


def test_a_kiosk_started_during_an_outage_shows_its_last_categories_and_issues(
        qtbot: QtBot, pg_cluster: PgCluster, hall: tuple[Store, str], tmp_path: Path) -> None:
    store, db = hall
    first = _kiosk(qtbot, store, tmp_path, clock_at(0))
    first.close()
    cut(pg_cluster, db)
    try:
        clock = clock_at(10)
        kiosk = _kiosk(qtbot, store, tmp_path, clock, make=False)  # the same PC: the same local copy
        assert set(kiosk.category_buttons) == {"A", "B", "C"} and kiosk.offline_since is not None
        assert _take(qtbot, kiosk, "C").code == "C001"
        kiosk.journal.mark(kiosk.journal.tickets()[-1].request_id, "joined")  # nothing left to join…
        kiosk.sync_now()
        assert kiosk.offline_since is not None  # … still offline until the server answers
        kiosk.journal.mark(kiosk.journal.tickets()[-1].request_id, "printed")
    finally:
        restore(pg_cluster, db)
    kiosk.sync_now()
    assert kiosk.offline_since is None
    assert _tickets(store) == [("C001", "waiting")]
