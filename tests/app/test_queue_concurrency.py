"""Eight processes (spawn) call against one store until it is empty: every ticket is called exactly once."""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter

import pytest
from sqlalchemy import func, select

from app import queue as q
from app.errors import QueueEmpty, StateError
from app.store import Store, open_store
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
