"""The audit chain's head travels to the hub like a case (audit.anchor); with it, cutting the chain's last
entries — invisible to the chain alone — is named by audit verify --anchor."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.auth import audit
from app.store import Store, open_store
from app.store.audit_chain import anchor, verify
from app.store.models import Outbox
from sync.server import service
from tests.hall_clock import CLOCK
from tests.sync.conftest import RunningHub
from tests.sync.test_hub_trust import other_device, post_as
from tests.sync.test_relay import make_relay

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'client.db'}")
    yield store
    store.dispose()


def test_the_head_reaches_the_hub_and_catches_a_cut_chain(hub: RunningHub, client: Store, tmp_path: Path) -> None:
    with client.write() as session:
        for i in range(6):
            audit(session, action="login.ok", actor=f"clerk{i}", at=CLOCK.now())
        row = anchor(session, at=CLOCK.now())
        assert row is not None
    payload = dict(row.payload)
    assert payload["count"] == 6
    report = make_relay(client, hub.url, hub.token, tmp_path).run_once()
    assert report.online
    with client.read() as session:
        assert session.get(Outbox, row.seq).state == "done"  # type: ignore[union-attr]
    with hub.hub.store.read() as session:
        [kept] = service.list_anchors(session)
    assert (kept["count"], kept["head"], kept["device"]) == (6, payload["head"], "乌兰花镇便民服务中心-1")
    listed = subprocess.run([sys.executable, "-m", "sync.server", "audit", "anchors", "--json", "--db", hub.db_url],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert json.loads(listed.stdout)[0]["head"] == payload["head"]

    db = Path(str(client.engine.url.database))
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM audit_event WHERE id IN (SELECT id FROM audit_event ORDER BY id DESC LIMIT 2)")
    with client.read() as session:
        assert verify(session).intact  # the chain alone cannot see it
        cut = verify(session, [(6, payload["head"])])
    assert not cut.intact and cut.broken is not None
    assert "枢纽锚点记有 6 条，本机只剩 4 条" in cut.broken.describe()
    cli = subprocess.run([sys.executable, "-m", "app", "audit", "verify", "--anchor", f"6:{payload['head']}",
                          "--db", f"sqlite:///{db}"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 1 and "末尾的记录被删除" in cli.stderr


def test_anchors_are_validated_and_private_to_their_device(hub: RunningHub) -> None:
    good = {"op_id": "a" * 36, "kind": "audit.anchor", "case_id": "b" * 36,
            "payload": {"id": "b" * 36, "head": "c" * 64, "count": 3, "at": "2026-12-07T09:00:00+08:00"}}
    assert post_as(hub, hub.token, good)[0]["outcome"] == "accepted"
    assert post_as(hub, hub.token, good)[0]["outcome"] == "replay"
    other = other_device(hub, "另一台", "150929")
    assert post_as(hub, other, good)[0]["error"] == "id_unavailable"
    bad = {**good, "op_id": "d" * 36, "payload": {**good["payload"], "count": -1}}
    assert post_as(hub, hub.token, bad)[0]["status"] == 422
