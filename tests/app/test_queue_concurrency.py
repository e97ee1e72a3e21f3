"""Eight processes (spawn) call against one store until it is empty: every ticket is called exactly once."""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter

import pytest
from sqlalchemy import func, select

from app import queue as q
from app.errors import QueueEmpty, StateError
from app.store import Store, open_store
from app.store.engine import connection_lost
from app.store.models import Ticket, TicketEvent
from tests.app.queue_hall import HALL, clock_at, make_hall

WORKERS = 8
TICKETS = 160
EIGHT = tuple((n, f"{n} 号窗口", ["A", "B"]) for n in range(1, WORKERS + 1))


def _window_worker(url: str, window: int) -> list[int]:
    """One window PC: call, (sometimes retry the same click), finish, until nothing waits."""
    store = open_store(url, upgrade=False)
    claimed: list[int] = []
    try:
        for n in range(TICKETS + 1):
            rid = f"w{window}-{n}"
            try:
                t = q.call_next(store, hall_code=HALL, window_number=window, request_id=rid, clock=clock_at(60))
            except QueueEmpty:
                return claimed
            if n % 3 == 0:  # a double click: the same request must not claim a second ticket
                again = q.call_next(store, hall_code=HALL, window_number=window, request_id=rid, clock=clock_at(60))
                assert again.id == t.id
            claimed.append(t.id)
            q.finish(store, hall_code=HALL, window_number=window, clock=clock_at(61))
        raise StateError("worker never saw an empty queue")
    finally:
        store.dispose()


def test_eight_windows_in_eight_processes_call_each_ticket_exactly_once(any_store: Store) -> None:
    make_hall(any_store, EIGHT)
    for i in range(TICKETS):
        t = q.issue_ticket(any_store, hall_code=HALL, category="AB"[i % 2], priority="elder" if i % 7 == 0 else "",
                           clock=clock_at(i / 10))
        q.confirm_printed(any_store, t.id, clock=clock_at(i / 10))
    url = any_store.url
    any_store.dispose()
    with mp.get_context("spawn").Pool(WORKERS) as pool:
        results = pool.starmap(_window_worker, [(url, w) for w in range(1, WORKERS + 1)])
    claimed = Counter(tid for per_window in results for tid in per_window)
    assert len(claimed) == TICKETS and set(claimed.values()) == {1}
    assert sum(1 for r in results if r) >= 2, "the windows really did call side by side"
    with any_store.read() as s:
        states = dict(s.execute(select(Ticket.state, func.count()).group_by(Ticket.state)).all())
        calls = s.scalar(select(func.count()).select_from(TicketEvent).where(TicketEvent.kind == "call"))
    assert states == {"done": TICKETS}
    assert calls == TICKETS


@pytest.mark.parametrize("clicks", [2])
def test_same_request_from_two_processes_claims_one_ticket(any_store: Store, clicks: int) -> None:
    make_hall(any_store, EIGHT)
    for i in range(3):
        t = q.issue_ticket(any_store, hall_code=HALL, category="A", clock=clock_at(i))
        q.confirm_printed(any_store, t.id, clock=clock_at(i))
    url = any_store.url
    with mp.get_context("spawn").Pool(clicks) as pool:
        got = pool.starmap(_one_call, [(url, "same-click")] * clicks)
    assert len(set(got)) == 1
    with any_store.read() as s:
        waiting = s.scalar(select(func.count()).select_from(Ticket).where(Ticket.state == "waiting"))
    assert waiting == 2


def _one_call(url: str, rid: str) -> int:
    store = open_store(url, upgrade=False)
    try:
        return q.call_next(store, hall_code=HALL, window_number=1, request_id=rid, clock=clock_at(10)).id
    finally:
        store.dispose()


def _waiting_hall(store: Store, n: int = 3) -> None:
    make_hall(store, EIGHT)
    for i in range(n):
        t = q.issue_ticket(store, hall_code=HALL, category="A", clock=clock_at(i))
        q.confirm_printed(store, t.id, clock=clock_at(i))


def test_call_next_on_a_connection_the_server_dropped_retries_on_a_fresh_one(
        pg_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Call-next skips the liveness ping on PostgreSQL: a pooled connection whose backend is gone (the server
    restarted) fails the claim, and the call is retried once on a new connection — the clerk sees a ticket."""
    from app.queue import calling

    seen: list[bool] = []
    monkeypatch.setattr(calling, "connection_lost", lambda exc: seen.append(connection_lost(exc)) or seen[-1])
    _waiting_hall(pg_store)
    first = q.call_next(pg_store, hall_code=HALL, window_number=1, request_id="r1", clock=clock_at(10))
    q.finish(pg_store, hall_code=HALL, window_number=1, clock=clock_at(11))
    with pg_store.engine.connect() as conn:  # the pooled connection the next call will check out
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    other = open_store(pg_store.url, upgrade=False)
    try:
        with other.engine.connect() as admin:
            assert admin.exec_driver_sql("SELECT pg_terminate_backend(%(pid)s)", {"pid": pid}).scalar_one()
    finally:
        other.dispose()
    second = q.call_next(pg_store, hall_code=HALL, window_number=1, request_id="r2", clock=clock_at(12))
    assert second.id != first.id and second.state == "called"
    assert seen == [True], "the claim met the dropped connection and was retried"
    with pg_store.read() as s:
        calls = s.scalars(select(TicketEvent.ticket_id).where(TicketEvent.kind == "call")).all()
    assert sorted(calls) == sorted([first.id, second.id])


def test_a_claim_committed_before_its_answer_was_lost_is_answered_by_the_retry(
        pg_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The claim commits, then the connection drops before the answer arrives: the retry must not claim a
    second ticket — the request id finds the committed call and answers with its ticket."""
    from sqlalchemy.exc import OperationalError

    from app.queue import calling

    _waiting_hall(pg_store)
    real = calling._call_next_pg
    lost: list[int] = []

    def commit_then_drop(session, *args, **kwargs):  # type: ignore[no-untyped-def]
        view = real(session, *args, **kwargs)  # committed inside
        if not lost:
            lost.append(view.id)
            session.connection().invalidate()
            raise OperationalError("claim", {}, Exception("server closed the connection unexpectedly"),
                                   connection_invalidated=True)
        return view

    monkeypatch.setattr(calling, "_call_next_pg", commit_then_drop)
    got = q.call_next(pg_store, hall_code=HALL, window_number=1, request_id="once", clock=clock_at(10))
    assert lost == [got.id]
    with pg_store.read() as s:
        calls = s.scalars(select(TicketEvent.ticket_id).where(TicketEvent.kind == "call")).all()
        waiting = s.scalar(select(func.count()).select_from(Ticket).where(Ticket.state == "waiting"))
    assert calls == [got.id] and waiting == 2


def test_a_dropped_connection_without_a_request_id_is_not_retried(
        pg_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a request id a retry could claim a second ticket, so the error reaches the clerk instead."""
    from sqlalchemy.exc import OperationalError

    from app.errors import StoreError
    from app.queue import calling

    _waiting_hall(pg_store)
    real = calling._call_next_pg
    tries: list[int] = []

    def commit_then_drop(session, *args, **kwargs):  # type: ignore[no-untyped-def]
        view = real(session, *args, **kwargs)
        tries.append(view.id)
        session.connection().invalidate()
        raise OperationalError("claim", {}, Exception("server closed the connection unexpectedly"),
                               connection_invalidated=True)

    monkeypatch.setattr(calling, "_call_next_pg", commit_then_drop)
    with pytest.raises(StoreError):
        q.call_next(pg_store, hall_code=HALL, window_number=1, request_id=None, clock=clock_at(10))
    assert len(tries) == 1
