"""The history checker (sync/history.py): on a recorded run of several counters pushing through a cutting link to a
multi-worker hub that is killed and restarted, every accepted item is at the hub once, in per-case order, and
every result came back; and the checker does catch a loss, a duplicate, a phantom, a swap and a missing result."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from app.canonical import canonical_sha256
from app.store import Store, open_store
from app.store.models import Outbox
from sync.faultproxy import FaultProxy, LinkProfile
from sync.history import HistoryLog, check_history, read_history
from sync.hub_client import HubConfig
from sync.relay import Relay, RelayOptions
from sync.server import service
from sync.server.hubdb import open_hub_store
from sync.server.models import HubCase, Operation
from sync.testbed import HubProcess, HubThread, add_device, free_port, seed_cases
from tests.hall_clock import CLOCK

FAST = RelayOptions(backoff_base=0.02, backoff_cap=0.2, offline_probe_seconds=0.05)


def with_updates(store: Store, every: int = 2) -> int:
    """A ``case.update`` after every ``every``-th case's accept: the order the hub must keep per case."""
    now = CLOCK.now()
    added = 0
    with store.write() as session:
        rows = list(session.scalars(select(Outbox).where(Outbox.kind == "case.accept").order_by(Outbox.seq)))
        for row in rows[::every]:
            for state in ("forwarded", "approved"):
                payload = {"case_id": row.case_id, "case_no": row.payload["case_no"], "state": state,
                           "event": {"kind": "note", "at": now.isoformat(), "detail": {}}}
                session.add(Outbox(op_id=str(uuid.uuid4()), kind="case.update", case_id=row.case_id,
                                   payload=payload, sha256=canonical_sha256(payload), created_at=now,
                                   next_attempt_at=now))
                added += 1
    return added


def client(tmp_path: Path, name: str, cases: int, hall: str) -> tuple[Store, int]:
    store = open_store(f"sqlite:///{tmp_path / f'{name}.db'}")
    seed_cases(store, tmp_path / name, cases, attachments=1, size_range=(3_000, 9_000), hall_code=hall,
               prefix=name.upper())
    return store, cases + with_updates(store)


def relay(store: Store, url: str, token: str, tmp_path: Path, name: str, history: Path) -> Relay:
    return Relay(store, HubConfig(url, token, connect_timeout=1, read_timeout=3), files_dir=tmp_path / name,
                 data_dir=tmp_path / f"{name}-data", options=FAST, history=HistoryLog(history, client=name))


def set_all_results(hub_db: str) -> int:
    store = open_hub_store(hub_db)
    try:
        with store.write() as session:
            numbers = list(session.scalars(select(HubCase.case_no)))
            for n in numbers:
                service.set_result(session, n, "approved", "准予许可")
        return len(numbers)
    finally:
        store.dispose()


@pytest.mark.postgres
def test_many_counters_through_cuts_and_hub_kills_on_two_workers_check_out(pg_cluster: Any, tmp_path: Path) -> None:
    db = pg_cluster.new_database()
    halls = ["150929", "150930", "150931"]
    tokens = [add_device(db, f"counter-{i}", hall_code=h) for i, h in enumerate(halls)]
    port = free_port()
    hub = HubProcess(db, tmp_path / "hub-files", port=port, workers=2).start(tokens[0])
    history = tmp_path / "history"
    clients = [client(tmp_path, f"c{i}", 25, h) for i, h in enumerate(halls)]
    expected = sum(n for _, n in clients)
    link = LinkProfile("county-link-500k", rate_bps=500_000, latency=0.01)  # slow enough for the faults to land
    with FaultProxy(("127.0.0.1", port), profile=link) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        relays = [relay(s, url, t, tmp_path, f"c{i}", history / f"c{i}.jsonl")
                  for i, ((s, _), t) in enumerate(zip(clients, tokens, strict=True))]
        stop = time.monotonic() + 120

        def push(r: Relay) -> None:
            while time.monotonic() < stop and r.run_until_idle(timeout=30).pending:
                time.sleep(0.05)

        threads = [threading.Thread(target=push, args=(r,)) for r in relays]
        for th in threads:
            th.start()
        for cut in (30_000, 60_000, 90_000):  # connections cut mid-request: answers lost, items re-sent
            time.sleep(0.4)
            proxy.cut_after(cut)
        time.sleep(0.3)
        hub.restart(tokens[0])  # SIGKILL of the supervisor and both workers, mid-run
        proxy.cut_after(50_000)
        for th in threads:
            th.join(150)
        # Whether or not a cut fell between a post and its answer this time, counter 0 loses every answer now:
        # it sends everything again, and the hub must answer replays only.
        with clients[0][0].write() as session:
            session.execute(update(Outbox).values(state="pending", sent_at=None))
        assert relays[0].run_until_idle(timeout=60).pending == 0
        assert set_all_results(db) == 75
        for r in relays:
            assert r.run_until_idle(timeout=60).pending == 0
            r.close()
    hub_store = open_hub_store(db)
    try:
        report = check_history(read_history(sorted(history.glob("*.jsonl"))), hub_store)
    finally:
        hub_store.dispose()
        hub.kill()
    assert report.ok, report.to_json()
    assert report.sent == report.acknowledged == report.on_hub == expected, report.summary()
    assert report.resent >= 51, report.summary()  # counter 0's whole outbox sent again (plus any cut's)
    assert report.results_published == 75 and report.results_missing == []
    for store, _ in clients:
        store.dispose()


def test_the_checker_catches_loss_duplicate_phantom_swap_and_missing_results(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    token = add_device(db, "counter", hall_code="150929")
    hub = HubThread(db, tmp_path / "hub-files").start()
    path = tmp_path / "h.jsonl"
    store, expected = client(tmp_path, "c", 6, "150929")
    try:
        r = relay(store, hub.url, token, tmp_path, "c", path)
        assert r.run_until_idle(timeout=60).pending == 0
        with hub.store.write() as session:
            for n in list(session.scalars(select(HubCase.case_no))):
                service.set_result(session, n, "approved")
        r.run_until_idle(timeout=60)
        r.close()
        events = read_history([path])
        good = check_history(events, hub.store)
        assert good.ok and good.acknowledged == good.on_hub == expected and good.results_published == 6
        # A result the client never pulled:
        assert check_history([e for e in events if e["ev"] != "result"], hub.store).results_missing
        with hub.store.write() as session:
            updates = list(session.scalars(select(Operation).where(Operation.kind == "case.update")
                                           .order_by(Operation.received_at)))
            first = updates[0]
            second = next(u for u in updates[1:] if u.case_id == first.case_id)
            # The later update received before the earlier one:
            second.received_at = first.received_at - dt.timedelta(seconds=1)
        assert check_history(events, hub.store).out_of_order
        with hub.store.write() as session:
            lost = session.scalars(select(Operation).where(Operation.kind == "case.accept")).first()
            assert lost is not None
            session.execute(delete(Operation).where(Operation.op_id == lost.op_id))
            some = session.scalars(select(HubCase)).first()
            assert some is not None
            session.add(HubCase(id=str(uuid.uuid4()), case_no=some.case_no, op_id=str(uuid.uuid4()),
                                device_id=some.device_id, hall_code=some.hall_code, payload={}, sha256="0" * 64))
            session.add(Operation(op_id="phantom-op-0001", kind="case.accept", case_id="x" * 36,
                                  device_id=some.device_id, sha256="0" * 64, response={}))
        bad = check_history(events, hub.store)
        assert bad.lost == [lost.op_id] and bad.phantoms == ["phantom-op-0001"]
        assert any(some.case_no in d for d in bad.duplicates) and not bad.ok
    finally:
        hub.stop()
        store.dispose()
