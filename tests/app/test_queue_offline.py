"""The kiosk's local copy (app.queue.offline) against a real hall server made unreachable: reserved blocks never
overlap, tickets drawn while the server is gone join its queue once, in issue order, where they stood."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import queue as q
from app.clock import aware
from app.errors import StoreError
from app.queue import calling
from app.queue.offline import KioskJournal, LocalTicket, join, join_pending
from app.queue.priority import decide, issue_green, parse_rules
from app.queue.tickets import counter_name
from app.store import Store, open_store
from tests.app.queue_hall import DAY, HALL, clock_at, make_hall
from tests.conftest import PgCluster

RULES = parse_rules("elder=jump, military=weight:20")


@pytest.fixture
def hall_db(pg_cluster: PgCluster, pg_url: str) -> Iterator[tuple[Store, str]]:
    store = open_store(pg_url)
    make_hall(store)
    yield store, pg_url.rsplit("/", 1)[1]
    store.dispose()


def cut(cluster: PgCluster, database: str) -> None:
    """The hall server stops answering this kiosk: no new connection, the open ones dropped."""
    cluster.admin(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    cluster.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")


def restore(cluster: PgCluster, database: str) -> None:
    cluster.admin(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')


def _draw(journal: KioskJournal, rid: str, category: str, clock_minutes: float, kind: str = "") -> LocalTicket:
    clock = clock_at(clock_minutes)
    at = clock.now()
    local = journal.draw(request_id=rid, hall_code=HALL, category=category, green=decide(RULES, kind=kind, day=DAY),
                         rules=RULES, at=at, day=DAY)
    assert local is not None
    return local


def _tickets(store: Store) -> list[q.TicketView]:
    with store.read() as s:
        return q.list_tickets(s, hall_code=HALL, service_date=DAY)


def test_two_kiosks_reserve_blocks_that_never_overlap_the_counter_or_each_other(
        hall_db: tuple[Store, str], tmp_path: Path) -> None:
    store, _db = hall_db
    one, two = KioskJournal(tmp_path / "one.db"), KioskJournal(tmp_path / "two.db")
    assert one.top_up(store, hall_code=HALL, categories=["A"], day=DAY, size=4) == 1
    assert two.top_up(store, hall_code=HALL, categories=["A"], day=DAY, size=4) == 1
    # A window's own 取号 (the counter's next number) comes after both blocks.
    counter_ticket, _ = issue_green(store, hall_code=HALL, category="A", rules=RULES, clock=clock_at(0))
    drawn = [_draw(k, f"{name}-{i}", "A", i) for i in range(4) for k, name in ((one, "one"), (two, "two"))]
    assert sorted(t.code for t in drawn) == [f"A{n:03d}" for n in range(1, 9)]
    assert counter_ticket.code == "A009"
    assert one.draw(request_id="one-x", hall_code=HALL, category="A", green=decide(RULES, day=DAY), rules=RULES,
                    at=clock_at(9).now(), day=DAY) is None  # used up: the kiosk falls back to the counter
    # Half used or less left: a top-up; more than half left: none.
    assert one.top_up(store, hall_code=HALL, categories=["A"], day=DAY, size=4) == 1
    assert one.remaining(counter_name(HALL, DAY, "A")) == 4
    assert one.top_up(store, hall_code=HALL, categories=["A"], day=DAY, size=4) == 0


def test_tickets_drawn_while_the_server_is_gone_join_once_in_issue_order(
        pg_cluster: PgCluster, hall_db: tuple[Store, str], tmp_path: Path) -> None:
    store, db = hall_db
    journal = KioskJournal(tmp_path / "kiosk.db")
    journal.top_up(store, hall_code=HALL, categories=["A", "B"], day=DAY, size=10)
    online, _ = issue_green(store, hall_code=HALL, category="A", rules=RULES, clock=clock_at(0),
                            number=_draw(journal, "k-0", "A", 0).number, request_id="k-0")
    journal.mark("k-0", "online")
    q.confirm_printed(store, online.id, clock=clock_at(0))
    journal.mark("k-0", "joined")

    cut(pg_cluster, db)
    with pytest.raises(StoreError):
        issue_green(store, hall_code=HALL, category="A", rules=RULES, clock=clock_at(1))
    offline = [_draw(journal, "k-1", "B", 2), _draw(journal, "k-2", "A", 3, kind="military"),
               _draw(journal, "k-3", "A", 4, kind="elder"), _draw(journal, "k-4", "A", 5)]
    for t in offline:
        journal.mark(t.request_id, "printed")
    journal.mark("k-4", "void")  # its print failed: it never joins
    assert [t.code for t in offline] == ["B001", "A002", "A003", "A004"]
    with pytest.raises(StoreError):
        join_pending(store, journal, clock=clock_at(6))
    assert [t.request_id for t in journal.tickets("printed")] == ["k-1", "k-2", "k-3"]  # nothing lost

    restore(pg_cluster, db)
    joined = join_pending(store, journal, clock=clock_at(20))
    assert [t.code for t in joined] == ["B001", "A002", "A003"]
    assert join_pending(store, journal, clock=clock_at(21)) == []  # a second reconnect adds nothing
    join(store, offline[0], clock=clock_at(22))  # nor a repeated join of one ticket (a crash before marking)
    tickets = _tickets(store)
    assert [(t.code, t.state) for t in tickets] == [("A001", "waiting"), ("B001", "waiting"),
                                                    ("A002", "waiting"), ("A003", "waiting")]
    by_code = {t.code: t for t in tickets}
    # Queued from the moment they were drawn, with their 绿色通道 rule: the weight rule's 20-minute head start,
    # the jump rule's lane.
    assert aware(by_code["B001"].queued_at) == clock_at(2).now()
    assert aware(by_code["A002"].queued_at) == clock_at(3).now() - dt.timedelta(minutes=20)
    assert (by_code["A002"].priority, by_code["A002"].priority_reason) == ("", "military")
    assert (by_code["A003"].priority, by_code["A003"].priority_reason) == ("elder", "elder")
    # Window 2 (category A): the elder's jump first, then the 军人 head start (queued before A001), then A001.
    order = []
    for minutes in (30, 31, 32):
        called = calling.call_next(store, hall_code=HALL, window_number=2, request_id=None,
                                    clock=clock_at(minutes))
        order.append(called.code)
        calling.finish(store, hall_code=HALL, window_number=2, clock=clock_at(minutes + 0.5))
    assert order == ["A003", "A002", "A001"]


def test_the_copy_survives_a_restart_and_a_ticket_drawn_unprinted_never_joins(
        hall_db: tuple[Store, str], tmp_path: Path) -> None:
    store, _db = hall_db
    path = tmp_path / "kiosk.db"
    journal = KioskJournal(path)
    journal.top_up(store, hall_code=HALL, categories=["C"], day=DAY, size=5)
    _draw(journal, "k-1", "C", 1)
    journal.mark("k-1", "printed")
    _draw(journal, "k-2", "C", 2)  # the kiosk stopped before this one printed
    again = KioskJournal(path)
    assert [(t.code, t.state) for t in again.tickets()] == [("C001", "printed"), ("C002", "void")]
    assert [t.code for t in join_pending(store, again, clock=clock_at(5))] == ["C001"]
    assert _draw(again, "k-3", "C", 6).code == "C003"  # the block goes on; C002 is never printed twice
