"""The outbox relay (no Qt): files first by tus, then cases in small idempotent batches, then the change feed.

One ``run_once()`` is a pass; ``run_until_idle()`` repeats passes until nothing is due. Every decision about an
outbox row (attempts, next attempt, last error, state) is committed before the next network call, so a kill at
any point loses at most the work in flight, which the hub's idempotency makes safe to repeat.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from app.clock import system_now
from app.errors import CounterError, SyncError
from app.store.engine import Store
from app.store.models import Outbox, SyncCursor, UploadState
from sync import changes
from sync.backoff import full_jitter, should_park
from sync.history import HistoryLog
from sync.hub_client import AuthFailed, HubClient, HubConfig, Rejected, Transient
from sync.passlock import PassLock
from sync.tus_client import ChunkSizer, LocalFileError, TusUploader, UploadStats

log = logging.getLogger(__name__)
BUSY_MESSAGE = "另一台电脑或另一个进程正在同步本库，本次跳过"
LINK = "link"  # SyncCursor row remembering whether the hub was last reachable (survives restarts)


@dataclass(frozen=True)
class RelayOptions:
    batch_size: int = 10
    # A batch whose files took this long to upload is posted at once, so on a slow link each case reaches the hub
    # (and leaves the clerk's pending count) as soon as its files are there, not after nine more cases' files.
    flush_after_seconds: float = 10.0
    backoff_base: float = 2.0
    backoff_cap: float = 300.0
    chunk_target_seconds: float = 11.5
    changes_limit: int = 200
    offline_probe_seconds: float = 5.0  # how often run_until_idle probes a dead link
    max_inflight: int = 4  # requests in flight at once (bounded further by the link's bandwidth-delay product)


@dataclass(frozen=True)
class PassReport:
    online: bool
    sent: int = 0
    rejected: int = 0
    retried: int = 0
    parked: int = 0
    changes: int = 0
    pending: int = 0
    next_due: dt.datetime | None = None
    error: str = ""
    fatal: bool = False  # the hub refused this device (bad token): retrying will not help until fixed


@dataclass(frozen=True)
class RejectedItem:
    seq: int
    case_no: str
    kind: str
    state: str  # rejected | parked
    error: str


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None  # None: never tried
    pending: int
    rejected: int
    parked: int
    done: int
    last_success_at: dt.datetime | None
    cursor: str
    last_error: str
    problems: tuple[RejectedItem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"online": self.online, "pending": self.pending, "rejected": self.rejected, "parked": self.parked,
                "done": self.done, "last_success_at": self.last_success_at.isoformat() if self.last_success_at
                else None, "cursor": self.cursor, "last_error": self.last_error,
                "problems": [p.__dict__ for p in self.problems]}


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC
    return value


def read_status(store: Store) -> SyncStatus:
    with store.read() as session:
        counts = dict(session.execute(select(Outbox.state, func.count()).group_by(Outbox.state)).all())
        link = session.get(SyncCursor, LINK)
        cursor = session.get(SyncCursor, changes.CURSOR_NAME)
        problems = tuple(
            RejectedItem(row.seq, str((row.payload or {}).get("case_no", "")), row.kind, row.state, row.last_error)
            for row in session.scalars(select(Outbox).where(Outbox.state.in_(("rejected", "parked")))
                                       .order_by(Outbox.seq).limit(50))
        )
        return SyncStatus(
            online=None if link is None else link.cursor == "up",
            pending=counts.get("pending", 0) + counts.get("inflight", 0),
            rejected=counts.get("rejected", 0),
            parked=counts.get("parked", 0),
            done=counts.get("done", 0),
            last_success_at=_aware(link.last_success_at) if link else None,
            cursor=cursor.cursor if cursor else "",
            last_error=(link.last_error if link else "") or (cursor.last_error if cursor else ""),
            problems=problems,
        )


def requeue(store: Store, *, states: tuple[str, ...] = ("parked",)) -> int:
    """Put parked (or rejected) items back in the queue with a fresh attempt count (an admin's decision)."""
    with store.write() as session:
        result: Any = session.execute(
            update(Outbox).where(Outbox.state.in_(states))
            .values(state="pending", attempts=0, next_attempt_at=system_now(), last_error=""))
        return int(result.rowcount)


TYPICAL_REQUEST_BYTES = 8 * 1024  # a village case's scan or batch: what one request in flight carries


class _UploadFailed(Exception):
    """A case's upload failed on a worker thread: the hub's error, and whether bytes were confirmed first."""

    def __init__(self, error: Transient | Rejected, *, progressed: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.progressed = progressed


@dataclass
class _Row:
    seq: int
    kind: str
    case_id: str | None
    op_id: str
    sha256: str
    payload: dict[str, Any]
    attempts: int
    created_at: dt.datetime


@dataclass
class RelayCounters:
    uploads: UploadStats = field(default_factory=UploadStats)
    passes: int = 0


class Relay:
    """Moves the outbox to the hub and the hub's changes into the store.

    Args:
        store: the counter's store.
        config: hub URL, token, CA bundle and timeouts.
        files_dir: where attachment paths in payloads are rooted (Settings.files_dir).
        data_dir: where calendar/catalog files from the hub are written (Settings.data_dir).
        history: where to record what was sent, acknowledged and pulled (``sync.history``; default: the file
            named by ``ZONGCHUANG_SYNC_HISTORY``, else nothing is recorded).
    """

    def __init__(self, store: Store, config: HubConfig, *, files_dir: Path, data_dir: Path,
                 options: RelayOptions | None = None, now: Callable[[], dt.datetime] = system_now,
                 rng: random.Random | None = None, history: HistoryLog | None = None) -> None:
        self.store = store
        self.history = history or HistoryLog.from_environment()
        self.hub = HubClient(config)
        self.files_dir = files_dir
        self.data_dir = data_dir
        self.options = options or RelayOptions()
        self.now = now
        self.rng = rng or random.Random()
        self.sizer = ChunkSizer(target_seconds=self.options.chunk_target_seconds)
        self.counters = RelayCounters()
        self._lock = PassLock(store)
        self._rtt: float | None = None  # the last probe's round trip, seconds
        self._gzip = False  # the hub's health said it reads gzip bodies
        self._owner = threading.current_thread()
        self._local = threading.local()
        self._clients: list[HubClient] = []  # the worker threads' sessions, closed with the relay
        self._clients_lock = threading.Lock()

    def close(self) -> None:
        self.hub.close()
        with self._clients_lock:
            for client in self._clients:
                client.close()
            self._clients.clear()

    # -- one pass -----------------------------------------------------------------------------------------

    def run_once(self) -> PassReport:
        """One pass: probe, push due rows, pull changes. Skipped when another relay on this store is busy."""
        self.counters.passes += 1
        if not self._lock.acquire():
            status = read_status(self.store)
            return PassReport(online=bool(status.online), error=BUSY_MESSAGE, **self._pending_summary())
        try:
            return self._run_once()
        finally:
            self._lock.release()

    def _run_once(self) -> PassReport:
        try:
            probe_started = time.monotonic()
            health = self.hub.health()
            self._rtt = time.monotonic() - probe_started
            self._gzip = "gzip" in (health.get("content_encoding") or [])
        except (Transient, AuthFailed) as exc:
            self._set_link(up=False, error=exc.message)
            return PassReport(online=False, error=exc.message, fatal=isinstance(exc, AuthFailed),
                              **self._pending_summary())
        self._set_link(up=True)
        sent = rejected = retried = parked = 0
        error = ""
        try:
            sent, rejected, retried, parked = self._push()
            pulled = self._pull()
        except (Transient, AuthFailed) as exc:
            error = exc.message
            self._set_link(up=not getattr(exc, "link_down", False), error=error)
            return PassReport(online=False, sent=sent, rejected=rejected, retried=retried, parked=parked,
                              error=error, **self._pending_summary())
        self._set_link(up=True, success=True)
        return PassReport(online=True, sent=sent, rejected=rejected, retried=retried, parked=parked,
                          changes=pulled, **self._pending_summary())

    def run_until_idle(self, *, timeout: float | None = None, sleep: Callable[[float], None] = time.sleep,
                       on_pass: Callable[[PassReport], None] | None = None) -> PassReport:
        """Repeat passes until nothing is pending (rejected and parked items do not count) or ``timeout``."""
        started = time.monotonic()
        totals = {"sent": 0, "rejected": 0, "retried": 0, "parked": 0, "changes": 0}
        while True:
            report = self.run_once()
            if on_pass is not None:
                on_pass(report)
            for key in totals:
                totals[key] += getattr(report, key)
            if (report.online and report.pending == 0) or report.fatal or (
                    timeout is not None and time.monotonic() - started >= timeout):
                return dataclasses.replace(report, **totals)  # type: ignore[arg-type]
            wait = self.options.offline_probe_seconds
            if report.online and report.next_due is not None:
                wait = min(wait, max(0.0, (report.next_due - self.now()).total_seconds()))
            sleep(max(0.05, wait))

    # -- link state ---------------------------------------------------------------------------------------

    def _set_link(self, *, up: bool, error: str = "", success: bool = False) -> None:
        with self.store.write() as session:
            row = session.get(SyncCursor, LINK)
            if row is None:
                row = SyncCursor(name=LINK, cursor="")
                session.add(row)
            was_down = row.cursor != "up"
            row.cursor = "up" if up else "down"
            row.last_error = error
            if success:
                row.last_success_at = self.now()
            if up and was_down:
                # The probe sees the link back: everything waiting goes now instead of at its backoff time.
                session.execute(update(Outbox).where(Outbox.state == "pending").values(next_attempt_at=self.now()))

    def _pending_summary(self) -> dict[str, Any]:
        with self.store.read() as session:
            pending = session.scalar(select(func.count()).where(Outbox.state.in_(("pending", "inflight")))) or 0
            next_due = session.scalar(select(func.min(Outbox.next_attempt_at)).where(Outbox.state == "pending"))
        return {"pending": pending, "next_due": _aware(next_due)}

    # -- push ---------------------------------------------------------------------------------------------

    def _due_rows(self, tried: set[int]) -> list[_Row]:
        """Due rows in seq order, only the earliest unsent row of each case (an update never overtakes its
        case's acceptance). Only key columns are scanned; payloads are loaded for the chosen rows."""
        now = self.now()
        with self.store.read() as session:
            keys = session.execute(
                select(Outbox.seq, Outbox.case_id, Outbox.state, Outbox.next_attempt_at)
                .where(Outbox.state.in_(("pending", "inflight", "parked"))).order_by(Outbox.seq)).all()
            seen: set[str] = set()
            chosen: list[int] = []
            for seq, case_id, state, next_at in keys:
                key = case_id or f"seq:{seq}"
                first = key not in seen
                seen.add(key)
                if first and seq not in tried and state != "parked" and _aware(next_at) <= now:  # type: ignore[operator]
                    chosen.append(seq)
                    if len(chosen) >= self.options.batch_size:
                        break
            if not chosen:
                return []
            rows = session.scalars(select(Outbox).where(Outbox.seq.in_(chosen)).order_by(Outbox.seq)).all()
            return [_Row(r.seq, r.kind, r.case_id, r.op_id, r.sha256, dict(r.payload), r.attempts,
                         _aware(r.created_at)) for r in rows]  # type: ignore[arg-type]

    def _push(self) -> tuple[int, int, int, int]:
        """Send due rows, keeping the link busy: the files of this batch and the next are uploaded by up to
        ``window`` requests in flight at once, and each batch is posted (on its own thread, in order) as soon as
        its files are there, while the next batch's files already go out. Ordering is kept by ``_due_rows``: a
        case's later row is chosen only once its earlier one is done."""
        totals = [0, 0, 0, 0]  # sent, rejected, retried, parked
        tried: set[int] = set()  # each row at most once per pass, however short its backoff
        posts: list[Future[tuple[int, int, int, int]]] = []
        link_down: Transient | None = None
        with ThreadPoolExecutor(max_workers=self._window(), thread_name_prefix="relay-up") as pool, \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="relay-post") as poster:

            def start_batch() -> list[tuple[_Row, Future[None]]]:
                rows = self._due_rows(tried)
                tried.update(r.seq for r in rows)
                return [(row, pool.submit(self._upload_files, row)) for row in rows]

            try:
                batch = start_batch()
                while batch and link_down is None:
                    upcoming = start_batch()  # its files queue behind this batch's: the workers never wait
                    ready: list[_Row] = []
                    started = time.monotonic()
                    for row, future in batch:
                        if link_down is not None:
                            future.cancel()
                            continue
                        uploaded, link_down = self._upload_outcome(row, future, totals)
                        if uploaded:
                            ready.append(row)
                        if ready and time.monotonic() - started >= self.options.flush_after_seconds:
                            posts.append(poster.submit(self._post, ready))
                            ready, started = [], time.monotonic()
                    if ready and link_down is None:
                        posts.append(poster.submit(self._post, ready))
                    batch = upcoming
                for _row, future in batch:  # the link went down: what was queued is not started
                    future.cancel()
            finally:
                for post in posts:
                    try:
                        totals = [t + n for t, n in zip(totals, post.result(), strict=True)]
                    except Transient as exc:
                        link_down = link_down or exc
        if link_down is not None:
            raise link_down
        sent, rejected, retried, parked = totals
        return sent, rejected, retried, parked

    def _upload_outcome(self, row: _Row, future: Future[None],
                        totals: list[int]) -> tuple[bool, Transient | None]:
        """Book one row's upload: (its files are all at the hub, the error if the link went down); a rejected
        or failed row is recorded here."""
        try:
            future.result()
        except LocalFileError as exc:
            self._reject(row, exc.message)
            totals[1] += 1
            return False, None
        except _UploadFailed as failed:
            if isinstance(failed.error, Rejected):
                self._reject(row, f"附件被枢纽拒绝：{failed.error.message}")
                totals[1] += 1
                return False, None
            totals[3] += self._fail(row, failed.error, progressed=failed.progressed)
            totals[2] += 1
            return False, failed.error if failed.error.link_down else None
        return True, None

    def _window(self) -> int:
        """How many requests to keep in flight: enough to cover the link's bandwidth-delay product with
        requests of a typical case's size (the round trip measured by the probe, the rate by the last chunks),
        plus two for the time the hub and this PC spend on each request (a store write per file), at most
        ``max_inflight``. More would only queue on the link and lose more work to a cut."""
        rtt = self._rtt if self._rtt is not None else 0.6
        rate = self.sizer.rate or 5_000.0  # bytes/s; before any chunk was timed: GPRS-like
        bdp = rate * rtt
        return max(2, min(self.options.max_inflight, 2 + math.ceil(bdp / TYPICAL_REQUEST_BYTES)))

    def _client(self) -> HubClient:
        """This thread's HTTP session (a requests.Session is not shared between threads)."""
        client = getattr(self._local, "hub", None)
        if client is None:
            if threading.current_thread() is self._owner:
                client = self.hub
            else:
                client = HubClient(self.hub.config)
                with self._clients_lock:
                    self._clients.append(client)
            self._local.hub = client
        return client

    def _upload_files(self, row: _Row) -> None:
        """Upload every attachment of a case that the hub does not have yet (on a worker thread). A Transient
        or Rejected failure is raised as :class:`_UploadFailed`, saying whether the hub confirmed bytes of this
        attempt (progress resets the attempt count)."""
        if row.kind != "case.accept":
            return
        confirmed = 0
        try:
            for att in row.payload.get("attachments") or []:
                att_id, size = str(att.get("id", "")), int(att.get("size", 0))
                with self.store.read() as session:
                    state = session.get(UploadState, att_id)
                    if state is not None and state.done:
                        continue
                    url = state.upload_url if state is not None and state.upload_url else None
                uploader = TusUploader(self._client(), self.sizer)
                uploader.stats = self.counters.uploads

                def remember(upload_url: str, offset: int, *, _id: str = att_id, _size: int = size) -> None:
                    with self.store.write() as session:
                        st = session.get(UploadState, _id)
                        if st is None:
                            session.add(UploadState(attachment_id=_id, upload_url=upload_url, offset=offset,
                                                    size=_size, done=offset >= _size))
                        else:
                            st.upload_url, st.offset, st.done = upload_url, offset, offset >= _size
                            st.updated_at = system_now()

                path = self.files_dir / str(att.get("path", ""))
                meta = {"filename": str(att.get("filename", "")), "attachment_id": att_id,
                        "case_id": str(row.case_id or ""), "sha256": str(att.get("sha256", "")),
                        "mime": str(att.get("mime", ""))}
                try:
                    uploader.upload(path, size=size, sha256=str(att.get("sha256", "")), meta=meta, url=url,
                                    on_url=remember)
                finally:
                    confirmed += uploader.confirmed
        except (Transient, Rejected) as exc:
            raise _UploadFailed(exc, progressed=confirmed > 0) from exc

    def _post(self, rows: list[_Row]) -> tuple[int, int, int, int]:
        items = [{"op_id": r.op_id, "kind": r.kind, "case_id": r.case_id, "payload": r.payload,
                  "sha256": r.sha256} for r in rows]
        if self.history is not None:
            for r in rows:
                self.history.record("send", op_id=r.op_id, kind=r.kind, case_id=r.case_id, seq=r.seq)
        try:
            results = self._client().post_cases(items, gzip=self._gzip)
        except Rejected as exc:
            if len(rows) > 1:  # find the bad one by sending them singly
                totals = [self._post([r]) for r in rows]
                return tuple(sum(t[i] for t in totals) for i in range(4))  # type: ignore[return-value]
            self._reject(rows[0], exc.message)
            return 0, 1, 0, 0
        except Transient as exc:
            parked = sum(self._fail(r, exc) for r in rows)
            if exc.link_down:
                raise
            return 0, 0, len(rows), parked
        by_op = {str(r.get("op_id")): r for r in results if isinstance(r, dict)}
        sent = rejected = retried = parked = 0
        for row in rows:
            answer = by_op.get(row.op_id)
            outcome = answer.get("outcome") if answer else None
            if self.history is not None:
                self.history.record("ack", op_id=row.op_id, outcome=outcome or "missing")
            if answer is not None and outcome in ("accepted", "replay"):
                self._done(row, answer)
                sent += 1
            elif answer is not None and outcome == "rejected":
                self._reject(row, str(answer.get("message", "枢纽拒收")), response=answer)
                rejected += 1
            else:
                if answer is not None and answer.get("missing"):
                    self._forget_uploads([str(m) for m in answer["missing"]])
                message = str(answer.get("message", "")) if answer else "枢纽应答中缺少该条目"
                parked += self._fail(row, Transient(message))
                retried += 1
        return sent, rejected, retried, parked

    # -- row bookkeeping (each its own transaction) -------------------------------------------------------

    def _done(self, row: _Row, answer: dict[str, Any]) -> None:
        from app.cases.lifecycle import mark_forwarded

        now = self.now()
        with self.store.write() as session:
            session.execute(update(Outbox).where(Outbox.seq == row.seq).values(
                state="done", sent_at=now, response=answer, last_error="", next_attempt_at=now))
            if row.kind == "case.accept" and row.case_id:
                try:
                    with session.begin_nested():
                        mark_forwarded(session, case_id=row.case_id, actor="sync", at=now)
                except CounterError as exc:
                    # The hub has it either way; a case the counter has since moved on is only noted.
                    log.warning("mark_forwarded(%s) skipped: %s", row.case_id, exc.message)

    def _reject(self, row: _Row, message: str, *, response: dict[str, Any] | None = None) -> None:
        with self.store.write() as session:
            session.execute(update(Outbox).where(Outbox.seq == row.seq).values(
                state="rejected", last_error=message[:2000], response=response, attempts=row.attempts + 1))

    def _fail(self, row: _Row, exc: SyncError, *, progressed: bool = False) -> int:
        """Record a retryable failure; returns 1 if the row is now parked. Progress (bytes confirmed by the
        hub) resets the attempt count, so a big file over a link that keeps dropping is never parked."""
        now = self.now()
        attempts = 1 if progressed else row.attempts + 1
        delay = full_jitter(attempts, base=self.options.backoff_base, cap=self.options.backoff_cap, rng=self.rng)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            delay = max(delay, retry_after)
        park = should_park(attempts, row.created_at, now)
        with self.store.write() as session:
            session.execute(update(Outbox).where(Outbox.seq == row.seq).values(
                state="parked" if park else "pending", attempts=attempts, last_error=exc.message[:2000],
                next_attempt_at=now + dt.timedelta(seconds=delay)))
        return int(park)

    def _forget_uploads(self, attachment_ids: list[str]) -> None:
        with self.store.write() as session:
            session.execute(update(UploadState).where(UploadState.attachment_id.in_(attachment_ids))
                            .values(done=False))

    # -- pull ---------------------------------------------------------------------------------------------

    def _pull(self) -> int:
        applied = 0
        while True:
            with self.store.read() as session:
                cursor = changes.read_cursor(session)
            try:
                page = self.hub.changes(cursor, self.options.changes_limit)
            except Rejected as exc:
                if exc.status == 410:  # the hub was rebuilt: start again (every apply is idempotent)
                    with self.store.write() as session:
                        row = session.get(SyncCursor, changes.CURSOR_NAME)
                        if row is not None:
                            row.cursor = ""
                    continue
                raise Transient(exc.message) from exc
            with self.store.write() as session:
                applied += changes.apply_page(session, page, data_dir=self.data_dir)
            if self.history is not None:
                for change in page.get("changes", []):
                    if change.get("kind") == "case.result" and isinstance(change.get("data"), dict):
                        self.history.record("result", case_id=str(change["data"].get("case_id", "")),
                                            seq=change.get("seq"))
            if not page.get("more"):
                return applied
