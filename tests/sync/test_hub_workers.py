"""The hub as four uvicorn worker processes on one PostgreSQL: several devices push at once, every item is sent
twice concurrently, chunks of one upload race each other — nothing is lost, nothing doubled; SQLite refuses
``--workers 2`` with its reason."""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from app.store import open_store
from app.store.models import Outbox
from sync.hub_client import HubConfig
from sync.relay import Relay, RelayOptions
from sync.server import service
from sync.server.__main__ import main as hub_main
from sync.server.hubdb import open_hub_store
from sync.server.models import HubCase, HubCaseFile, Operation, Upload
from sync.testbed import HubProcess, add_device, seed_cases

pytestmark = pytest.mark.postgres
DEVICES = 4
CASES = 12


def _relay(store: Any, url: str, token: str, root: Path) -> Relay:
    return Relay(store, HubConfig(url, token, connect_timeout=3, read_timeout=20), files_dir=root / "files",
                 data_dir=root, options=RelayOptions(batch_size=5, backoff_base=0.05, backoff_cap=0.5,
                                                     offline_probe_seconds=0.2))


def test_four_workers_take_concurrent_pushes_from_several_devices_exactly_once(
        pg_cluster: Any, tmp_path: Path) -> None:
    db = pg_cluster.new_database()
    tokens = [add_device(db, f"窗口{i}", "150929") for i in range(DEVICES)]
    hub = HubProcess(db, tmp_path / "hub-files", workers=4).start(tokens[0])
    try:
        clients = []
        for i, token in enumerate(tokens):
            root = tmp_path / f"c{i}"
            store = open_store(f"sqlite:///{root / 'counter.db'}")
            seed_cases(store, root / "files", CASES, attachments=1, size_range=(3_000, 9_000), seed=i,
                       prefix=f"W{i}")
            clients.append((store, token, root))

        def push(store: Any, token: str, root: Path) -> Any:
            relay = _relay(store, hub.url, token, root)
            try:
                return relay.run_until_idle(timeout=120)
            finally:
                relay.close()

        with cf.ThreadPoolExecutor(DEVICES) as pool:
            reports = list(pool.map(lambda c: push(*c), clients))
        assert all(r.pending == 0 and r.rejected == 0 and r.parked == 0 for r in reports), reports

        # Every item again, each sent by two threads at once (a retry racing the original over two workers).
        def resend(store: Any, token: str) -> list[dict[str, Any]]:
            with store.read() as session:
                items = [{"op_id": o.op_id, "case_id": o.case_id, "kind": o.kind, "payload": o.payload}
                         for o in session.scalars(select(Outbox).order_by(Outbox.seq))]
            r = requests.post(f"{hub.url}/v1/cases", json={"items": items}, timeout=30,
                              headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, r.text
            return list(r.json()["results"])

        with cf.ThreadPoolExecutor(2 * DEVICES) as pool:
            answers = [a for batch in pool.map(lambda c: resend(c[0], c[1]), clients + clients) for a in batch]
        assert answers and {a["outcome"] for a in answers} == {"replay"}, answers[:3]
        for store, _, _ in clients:
            store.dispose()
    finally:
        hub.kill()

    store = open_hub_store(db)
    try:
        with store.read() as s:
            numbers = list(s.scalars(select(HubCase.case_no)))
            assert len(numbers) == DEVICES * CASES and len(set(numbers)) == len(numbers)
            by_device = dict(s.execute(select(HubCase.device_id, func.count()).group_by(HubCase.device_id)).all())
            assert sorted(by_device.values()) == [CASES] * DEVICES
            assert s.scalar(select(func.count()).select_from(Operation)) == DEVICES * CASES
            assert s.scalar(select(func.count()).select_from(HubCaseFile)) == DEVICES * CASES
            listed = service.list_cases(s, tmp_path / "hub-files")
        assert all(f["stored_sha256"] == f["sha256"] for c in listed for f in c["files"])
    finally:
        store.dispose()


def test_chunks_of_one_upload_racing_over_workers_leave_the_file_and_offset_agreeing(
        pg_cluster: Any, tmp_path: Path) -> None:
    db = pg_cluster.new_database()
    token = add_device(db, "窗口0", "150929")
    hub = HubProcess(db, tmp_path / "hub-files", workers=4).start(token)
    auth = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
    data = bytes(range(256)) * 400  # 102,400 bytes in 25 chunks of 4,096
    try:
        r = requests.post(f"{hub.url}/files/", headers={**auth, "Upload-Length": str(len(data))}, timeout=10)
        url = hub.url + r.headers["Location"]

        def send(offset: int) -> int:
            r = requests.patch(url, data=data[offset:offset + 4096], timeout=20, headers={
                **auth, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
            return r.status_code

        offset = 0
        with cf.ThreadPoolExecutor(6) as pool:
            while offset < len(data):  # six copies of each chunk at once: one wins, five get 409
                codes = list(pool.map(send, [offset] * 6))
                assert sorted(codes) == [204] + [409] * 5, codes
                offset += 4096
    finally:
        hub.kill()
    store = open_hub_store(db)
    try:
        with store.read() as s:
            [upload] = s.scalars(select(Upload)).all()
        assert upload.offset == len(data) and upload.sha256 == hashlib.sha256(data).hexdigest()
        assert (tmp_path / "hub-files" / "uploads" / upload.id).read_bytes() == data
    finally:
        store.dispose()


def test_sqlite_refuses_more_than_one_worker_with_its_reason(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    code = hub_main(["--db", f"sqlite:///{tmp_path / 'hub.db'}", "--files", str(tmp_path / "f"),
                     "--workers", "2", "--port", "1"])
    err = capsys.readouterr().err
    assert code != 0 and "SQLite" in err and "PostgreSQL" in err and "--workers 1" in err
