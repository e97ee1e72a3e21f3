"""The kiosk's local copy (issue 18): it keeps issuing when the hall server is gone, and the tickets it printed
meanwhile join the hall's queue once, in issue order, when the server is back.

A kiosk reserves a block of numbers per category from the hall's own counter (``tickets.reserve_numbers``, by
default 20, ``queue.offline_block``) and always issues from its block, online and offline alike: the numbers
come off the counter every kiosk and counter draws from, so two kiosks can never print the same number, and a
single kiosk's numbers run on without gaps. The block is topped up while the server answers, once half of it is
used.

The copy is a small SQLite file on the kiosk (``data_dir/kiosk-journal.db``, no personal data in it): the blocks,
every ticket drawn from them, and the last categories read from the server (so a kiosk started during an outage
still shows its buttons). A ticket's local state:

- ``drawn``: number taken, the hall store not yet told or the ticket not yet printed;
- ``online``: the hall store has it (``issuing``), printing;
- ``printed``: it left the printer but the hall store has not confirmed it — :func:`join_pending` does that;
- ``joined``: the hall store has it ``waiting``; ``void``: the print failed, it never joins.

Joining is exactly once: each ticket carries its request id, and the hall store returns the ticket a request id
already drew (``tickets._issue``); ``confirm_printed`` is a no-op the second time. Tickets join with the moment
they were drawn, so they queue where the applicant really stands.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.clock import HallClock
from app.private import private_dir, private_file
from app.queue.common import TicketView
from app.queue.priority import GreenChannel, PriorityRules, green_detail
from app.queue.tickets import _issue, confirm_printed, counter_name, reserve_numbers, ticket_code
from app.store import Store

DEFAULT_BLOCK = 20
FILE_NAME = "kiosk-journal.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS block (
    counter TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, next INTEGER NOT NULL,
    PRIMARY KEY (counter, first));
CREATE TABLE IF NOT EXISTS ticket (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL UNIQUE, hall_code TEXT NOT NULL,
    service_date TEXT NOT NULL, category TEXT NOT NULL, number INTEGER NOT NULL, code TEXT NOT NULL,
    priority TEXT NOT NULL, reason TEXT NOT NULL, head_start_s INTEGER NOT NULL, detail TEXT NOT NULL,
    issued_at TEXT NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class LocalTicket:
    """One ticket drawn from the kiosk's block."""

    seq: int
    request_id: str
    hall_code: str
    service_date: dt.date
    category: str
    number: int
    code: str
    priority: str  # the ticket's lane: the kind for a jump rule, "" otherwise
    reason: str  # the 绿色通道 rule that applied, printed and counted
    head_start: dt.timedelta
    detail: dict[str, object]
    issued_at: dt.datetime  # aware
    state: str

    def view(self) -> TicketView:
        """The ticket as the kiosk shows and prints it while the hall store does not have it (id 0)."""
        return TicketView(
            id=0, code=self.code, category=self.category, priority=self.priority, state="waiting",
            window_number=None, service_date=self.service_date, issued_at=self.issued_at,
            queued_at=self.issued_at - self.head_start, called_at=None, started_at=None, finished_at=None,
            recall_count=0, skip_count=0, transferred_from=None, appointment_id=None, masked_name="",
            priority_reason=self.reason)


class KioskJournal:
    """The local SQLite file. Every method opens its own short connection, so any thread may call it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        private_dir(path.parent)
        private_file(path, create=True)
        db = sqlite3.connect(self.path, timeout=15)
        try:
            db.executescript(_SCHEMA)
        finally:
            db.close()
        with self._db() as db:
            # A ticket drawn when the kiosk stopped never printed (printing marks it): it will not join.
            db.execute("UPDATE ticket SET state = 'void' WHERE state = 'drawn'")

    @classmethod
    def for_data_dir(cls, data_dir: Path | str) -> KioskJournal:
        return cls(Path(data_dir) / FILE_NAME)

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")  # a printed ticket is never lost to a power cut
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        finally:
            db.close()

    # --- blocks -------------------------------------------------------------------------------------------

    def remaining(self, counter: str) -> int:
        with self._db() as db:
            row = db.execute("SELECT COALESCE(SUM(last - next + 1), 0) FROM block WHERE counter = ?",
                             (counter,)).fetchone()
        return int(row[0])

    def add_block(self, counter: str, first: int, last: int) -> None:
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO block (counter, first, last, next) VALUES (?, ?, ?, ?)",
                       (counter, first, last, first))

    def top_up(self, store: Store, *, hall_code: str, categories: Iterable[str], day: dt.date, size: int,
               daily_reset: bool = True) -> int:
        """Reserve a fresh block for every category with half its block or less left; returns how many were
        reserved. Raises :class:`app.errors.StoreError` while the hall server is unreachable."""
        reserved = 0
        for category in categories:
            name = counter_name(hall_code, day, category, daily_reset=daily_reset)
            if self.remaining(name) > size // 2:
                continue
            counter, first, last = reserve_numbers(store, hall_code=hall_code, category=category, day=day,
                                                   count=size, daily_reset=daily_reset)
            self.add_block(counter, first, last)
            reserved += 1
        with self._db() as db:  # used-up blocks are of no further use
            db.execute("DELETE FROM block WHERE next > last")
        return reserved

    # --- tickets ------------------------------------------------------------------------------------------

    def draw(self, *, request_id: str, hall_code: str, category: str, green: GreenChannel, rules: PriorityRules,
             at: dt.datetime, day: dt.date, daily_reset: bool = True) -> LocalTicket | None:
        """Take the next number of this kiosk's block for ``category``; ``None`` when the block is used up."""
        counter = counter_name(hall_code, day, category, daily_reset=daily_reset)
        with self._db() as db:
            row = db.execute("SELECT first, next FROM block WHERE counter = ? AND next <= last "
                             "ORDER BY first LIMIT 1", (counter,)).fetchone()
            if row is None:
                return None
            first, number = int(row[0]), int(row[1])
            db.execute("UPDATE block SET next = next + 1 WHERE counter = ? AND first = ?", (counter, first))
            cur = db.execute(
                "INSERT INTO ticket (request_id, hall_code, service_date, category, number, code, priority, reason,"
                " head_start_s, detail, issued_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'drawn')",
                (request_id, hall_code, day.isoformat(), category, number, ticket_code(category, number),
                 green.priority, green.kind, int(green.head_start.total_seconds()),
                 json.dumps(green_detail(rules, green), ensure_ascii=False), at.isoformat()))
            seq = int(cur.lastrowid or 0)
        return self._get(seq)

    def mark(self, request_id: str, state: str) -> None:
        assert state in ("online", "printed", "joined", "void"), state
        with self._db() as db:
            db.execute("UPDATE ticket SET state = ? WHERE request_id = ?", (state, request_id))

    def tickets(self, *states: str) -> list[LocalTicket]:
        """Tickets in issue order, of the given states (all without)."""
        where = f" WHERE state IN ({', '.join('?' * len(states))})" if states else ""
        with self._db() as db:
            rows = db.execute(f"SELECT * FROM ticket{where} ORDER BY seq", states).fetchall()
        return [_local(row) for row in rows]

    def _get(self, seq: int) -> LocalTicket:
        with self._db() as db:
            return _local(db.execute("SELECT * FROM ticket WHERE seq = ?", (seq,)).fetchone())

    # --- the categories' last known state -----------------------------------------------------------------

    def remember(self, key: str, value: object) -> None:
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO cache (key, value) VALUES (?, ?)",
                       (key, json.dumps(value, ensure_ascii=False)))

    def recall(self, key: str) -> object | None:
        with self._db() as db:
            row = db.execute("SELECT value FROM cache WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None


def _local(row: tuple[object, ...]) -> LocalTicket:
    (seq, rid, hall, day, category, number, code, priority, reason, head_s, detail, issued_at, state) = row
    return LocalTicket(int(str(seq)), str(rid), str(hall), dt.date.fromisoformat(str(day)), str(category),
                       int(str(number)), str(code), str(priority), str(reason),
                       dt.timedelta(seconds=int(str(head_s))), json.loads(str(detail)),
                       dt.datetime.fromisoformat(str(issued_at)), str(state))


def join(store: Store, ticket: LocalTicket, *, clock: HallClock) -> TicketView:
    """Put one printed local ticket into the hall's queue (``waiting``), as drawn: its number, its moment, its
    绿色通道 rule. Repeating it is a no-op (the request id)."""
    issued = _issue(store, hall_code=ticket.hall_code, category=ticket.category, priority=ticket.priority,
                    request_id=ticket.request_id, daily_reset=True, at=ticket.issued_at, day=ticket.service_date,
                    reason=ticket.reason, head_start=ticket.head_start,
                    detail={**ticket.detail, "offline": True}, number=ticket.number)
    return confirm_printed(store, issued.id, clock=clock)


def join_pending(store: Store, journal: KioskJournal, *, clock: HallClock) -> list[TicketView]:
    """Every printed ticket the hall store has not confirmed, in issue order; stops at the first failure (the
    rest wait for the next try, still in order). Raises :class:`app.errors.StoreError` while unreachable."""
    joined = []
    for ticket in journal.tickets("printed"):
        joined.append(join(store, ticket, clock=clock))
        journal.mark(ticket.request_id, "joined")
    return joined


__all__ = ["DEFAULT_BLOCK", "KioskJournal", "LocalTicket", "join", "join_pending"]
