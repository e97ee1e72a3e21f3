"""The audit entries form a hash chain, so a row changed or deleted with plain ``sqlite3`` (or ``psql``) is seen.

Each ``audit_event`` row carries ``prev_hash`` (the ``hash`` of the row before it, by id; "" for the first) and
``hash`` = SHA-256 of the canonical JSON of ``[prev_hash, at (UTC, µs), actor, action, target, host, detail]``.
Editing any field of a row breaks its own hash; deleting or inserting a row breaks the next row's ``prev_hash``.
The hashes are filled in by a ``before_flush`` hook on every ORM session, so the many ``session.add(AuditEvent
(...))`` of the services need no change. Writers are serialised: SQLite's writer lock, and on PostgreSQL an
advisory transaction lock, so two counters sharing a hall's store never fork the chain.

What a chain alone cannot show is the loss of its last entries (the remaining rows still chain): that needs the
head kept elsewhere. :func:`anchor` queues an ``audit.anchor`` outbox item (entry N has hash H) that the relay
sends to the hub like a case; the hub keeps it out of the counter's reach, and ``audit verify --anchor N:H``
checks the chain against it (see docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.orm import Session

from app.canonical import canonical_json, canonical_sha256
from app.clock import aware
from app.store.models import AuditEvent, Outbox

GENESIS = ""
AUDIT_LOCK = 727020


def utc_text(at: dt.datetime) -> str:
    return aware(at).astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def entry_hash(prev_hash: str, *, at: dt.datetime, actor: str, action: str, target: str, host: str,
               detail: Any) -> str:
    body = [prev_hash, utc_text(at), actor or "", action or "", target or "", host or "", detail or {}]
    return hashlib.sha256(canonical_json(body)).hexdigest()


def _hash_of(row: AuditEvent, prev_hash: str) -> str:
    return entry_hash(prev_hash, at=row.at, actor=row.actor, action=row.action, target=row.target, host=row.host,
                      detail=row.detail)


def _chain_new_entries(session: Session, _context: object, _instances: object) -> None:
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if not new:
        return
    new.sort(key=lambda obj: inspect(obj).insert_order or 0)  # the order the unit of work inserts them (ids grow so)
    with session.no_autoflush:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})"))
        head = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS
    for row in new:
        # What is hashed is what is stored: UTC (SQLite keeps a datetime's wall time and drops its zone).
        row.at = aware(row.at).astimezone(dt.UTC)
        row.actor, row.target, row.host = row.actor or "", row.target or "", row.host or ""
        row.detail = row.detail or {}
        row.prev_hash = head
        row.hash = head = _hash_of(row, head)


def install() -> None:
    """Chain every AuditEvent any session flushes (idempotent)."""
    if not event.contains(Session, "before_flush", _chain_new_entries):
        event.listen(Session, "before_flush", _chain_new_entries)


@dataclass(frozen=True)
class BrokenEntry:
    id: int
    position: int  # 1-based place in the chain
    at: str
    action: str
    actor: str
    reason: str

    def describe(self) -> str:
        return (f"第 {self.position} 条审计记录（id={self.id}，{self.at}，{self.action}，{self.actor or '—'}）"
                f"{self.reason}")


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head: str  # hash of the last entry ("" when there is none)
    broken: BrokenEntry | None

    @property
    def intact(self) -> bool:
        return self.broken is None

    def to_json(self) -> dict[str, Any]:
        broken = None if self.broken is None else {**self.broken.__dict__, "message": self.broken.describe()}
        return {"intact": self.intact, "checked": self.checked, "head": self.head, "first_broken": broken}


def verify_rows(rows: Iterable[AuditEvent], anchors: Iterable[tuple[int, str]] = ()) -> ChainReport:
    """Check each link and hash; ``anchors`` (count, head) say which hash entry ``count`` must have."""
    expected = dict(anchors)
    prev = GENESIS
    position = 0
    for row in rows:
        position += 1
        reason = ""
        if row.prev_hash != prev:
            reason = "之前的记录被删除、插入或改动（链接不符）"
        elif row.hash != _hash_of(row, row.prev_hash):
            reason = "的内容被改动（哈希不符）"
        elif position in expected and expected[position] != row.hash:
            reason = "与枢纽保存的锚点不符（该条或之前的记录被整体替换）"
        if reason:
            return ChainReport(position - 1, prev, BrokenEntry(row.id, position, utc_text(row.at) + "Z",
                                                               row.action, row.actor, reason))
        prev = row.hash
    beyond = [count for count in expected if count > position]
    if beyond:
        return ChainReport(position, prev, BrokenEntry(0, max(beyond), "", "", "",
                                                       f"已不存在：枢纽锚点记有 {max(beyond)} 条，本机只剩 {position} 条"
                                                       "（末尾的记录被删除）"))
    return ChainReport(position, prev, None)


def verify(session: Session, anchors: Iterable[tuple[int, str]] = ()) -> ChainReport:
    """Walk the chain in id order (streamed) and name the first entry that does not fit."""
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=1000))
    return verify_rows(rows, anchors)


def parse_anchor(text_value: str) -> tuple[int, str]:
    """``N:HASH`` as ``audit anchors`` at the hub prints it."""
    from app.errors import ValidationError

    count, _, head = text_value.strip().partition(":")
    if not count.isascii() or not count.isdigit() or len(head) != 64 or not all(c in "0123456789abcdef" for c in head):
        raise ValidationError(f"锚点格式应为 条数:64位哈希，得到 {text_value!r}", field="anchor")
    return int(count), head


def anchor(session: Session, *, at: dt.datetime) -> Outbox | None:
    """Queue the current head for the hub (None when there is no entry yet). The head is read under the same
    lock writers take, so it is an entry that exists."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})"))
    count = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    if not count:
        return None
    head = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS
    anchor_id = str(uuid.uuid4())
    payload = {"id": anchor_id, "head": head, "count": count, "at": aware(at).isoformat()}
    row = Outbox(kind="audit.anchor", case_id=anchor_id, payload=payload, sha256=canonical_sha256(payload),
                 created_at=at, next_attempt_at=at)
    session.add(row)
    return row
