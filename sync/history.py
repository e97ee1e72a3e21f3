"""Jepsen-style history of a sync run, and the checker that proves it exactly once and in order.

Each relay appends what it did to a JSON-lines file (``ZONGCHUANG_SYNC_HISTORY=path``, or ``Relay(history=...)``):
``send`` (an item is about to be posted: op id, kind, case id, the outbox seq), ``ack`` (the hub's answer for it:
accepted / replay / rejected / retry) and ``result`` (a ``case.result`` change applied from the feed). A line is
written and flushed before the relay acts on it, so a client SIGKILLed mid-run leaves a history that is a prefix
of what it did — every ``ack`` it recorded was really given, and every item the hub holds was ``send``-recorded
first.

:func:`check_history` reads the histories of every client and the hub's final state (its database) and reports:

- **lost**: an item acknowledged (accepted or replay) that the hub does not hold;
- **duplicates**: an item held twice (the same case number of one device under two case ids, or one op id's case
  twice), and **phantoms**: an item the hub holds that no client ever sent;
- **out of order**: for one device and one case, the hub received its items in another order than the counter's
  outbox (a case's update before the case, two updates swapped);
- **results missing**: a result the hub published for a case that the sending client never pulled.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.clock import system_now
from app.store.engine import Store

ENV_HISTORY = "ZONGCHUANG_SYNC_HISTORY"  # not ZC_*: those are settings overrides (app.settings)


class HistoryLog:
    """Appends events to one JSON-lines file (one per client process; several threads may write)."""

    def __init__(self, path: Path, *, client: str = "") -> None:
        self.path = path
        self.client = client or f"{os.getpid()}"
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_environment(cls) -> HistoryLog | None:
        path = os.environ.get(ENV_HISTORY)
        return cls(Path(path)) if path else None

    def record(self, event: str, **fields: Any) -> None:
        line = json.dumps({"t": system_now().timestamp(), "client": self.client, "ev": event, **fields}, ensure_ascii=False)
        with self._lock, open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())


def read_history(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Every event of the given files; a last line cut by a kill is dropped."""
    events: list[dict[str, Any]] = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # the line a SIGKILL cut short
    return events


@dataclass
class HistoryReport:
    sent: int = 0  # distinct op ids sent
    resent: int = 0  # sends beyond each op id's first (after a cut, a lost answer, a hub restart)
    acknowledged: int = 0  # distinct op ids acknowledged accepted/replay
    on_hub: int = 0  # the hub's items (operations) that the clients sent
    lost: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    phantoms: list[str] = field(default_factory=list)
    out_of_order: list[str] = field(default_factory=list)
    results_published: int = 0
    results_missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicates or self.phantoms or self.out_of_order or self.results_missing)

    def summary(self) -> str:
        return (f"sent {self.sent} (+{self.resent} re-sent), acknowledged {self.acknowledged}, on hub {self.on_hub}; lost {len(self.lost)}, "
                f"duplicates {len(self.duplicates)}, phantoms {len(self.phantoms)}, out of order "
                f"{len(self.out_of_order)}; results {self.results_published}, missing {len(self.results_missing)}")

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "sent": self.sent, "resent": self.resent, "acknowledged": self.acknowledged, "on_hub": self.on_hub,
                "lost": self.lost, "duplicates": self.duplicates, "phantoms": self.phantoms,
                "out_of_order": self.out_of_order, "results_published": self.results_published,
                "results_missing": self.results_missing}


def check_history(events: list[dict[str, Any]], hub_store: Store) -> HistoryReport:
    """Check the clients' ``events`` against the hub's final state in ``hub_store``."""
    from sync.server.models import Change, HubCase, Operation

    report = HistoryReport()
    sends: dict[str, dict[str, Any]] = {}
    acked: set[str] = set()
    pulled: set[str] = set()
    for e in events:
        if e.get("ev") == "send":
            report.resent += str(e["op_id"]) in sends
            sends.setdefault(str(e["op_id"]), e)
        elif e.get("ev") == "ack" and e.get("outcome") in ("accepted", "replay"):
            acked.add(str(e["op_id"]))
        elif e.get("ev") == "result":
            pulled.add(str(e["case_id"]))
    report.sent, report.acknowledged = len(sends), len(acked)
    with hub_store.read() as session:
        ops = list(session.execute(select(Operation.op_id, Operation.device_id, Operation.case_id, Operation.kind,
                                          Operation.received_at)))
        cases = list(session.execute(select(HubCase.id, HubCase.op_id, HubCase.device_id, HubCase.case_no)))
        results = list(session.execute(select(Change.device_id, Change.data).where(Change.kind == "case.result")))
    held = {str(op_id) for op_id, *_ in ops}
    report.on_hub = len(held & set(sends))
    report.lost = sorted(acked - held)
    report.phantoms = sorted(held - set(sends))
    per_case_no = Counter((device, case_no) for _, _, device, case_no in cases)
    report.duplicates = sorted(f"device {d} case {n} ×{c}" for (d, n), c in per_case_no.items() if c > 1)
    per_op = Counter(str(op_id) for _, op_id, _, _ in cases)
    report.duplicates += sorted(f"op {o} ×{c}" for o, c in per_op.items() if c > 1)
    # Per device and case: the hub's receiving order must be the outbox's order (the relay's seq).
    arrivals: dict[tuple[int, str], list[tuple[Any, int, str]]] = defaultdict(list)
    for op_id, device, case_id, _kind, received_at in ops:
        sent = sends.get(str(op_id))
        if sent is not None and sent.get("seq") is not None:
            arrivals[(int(device), str(case_id))].append((received_at, int(sent["seq"]), str(op_id)))
    for (device, case_id), rows in sorted(arrivals.items()):
        by_arrival = [seq for _, seq, _ in sorted(rows, key=lambda r: (r[0], r[1]))]
        if by_arrival != sorted(by_arrival):
            report.out_of_order.append(f"device {device} case {case_id}: outbox order {sorted(by_arrival)}, "
                                       f"hub order {by_arrival}")
    senders = {str(case_id) for _, _, case_id, kind, _ in ops if kind == "case.accept"} & \
        {str(e.get("case_id")) for e in sends.values()}
    published = {str((data or {}).get("case_id")) for _, data in results}
    report.results_published = len(published)
    report.results_missing = sorted((published & senders) - pulled)
    return report
