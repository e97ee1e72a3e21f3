"""The hub seals what it receives with its own key: a case travels in clear over TLS (the counter's key never
leaves the PC) and is sealed at rest on both ends; sync stays exactly once; a missing hub key is refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.store import Store, open_store
from app.store.crypto import DataKeyError
from app.store.models import Case
from sync.hub_client import HubConfig
from sync.relay import Relay, RelayOptions
from sync.server import service
from sync.server.hubdb import open_hub_store
from sync.testbed import seed_cases
from tests.sync.conftest import RunningHub

FAST = RelayOptions(backoff_base=0.01, backoff_cap=0.05, offline_probe_seconds=0.05)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'client.db'}")
    yield store
    store.dispose()


def _personal(client: Store) -> list[str]:
    with client.read() as session:
        return [v for c in session.scalars(select(Case)) for v in (c.applicant_id_no, c.applicant_phone) if v]


def test_cases_reach_the_hub_once_and_are_sealed_there(hub: RunningHub, client: Store, tmp_path: Path) -> None:
    numbers = seed_cases(client, tmp_path / "files", 4)
    secrets = _personal(client)
    assert len(secrets) >= 4
    relay = Relay(client, HubConfig(hub.url, hub.token, connect_timeout=2, read_timeout=5),
                  files_dir=tmp_path / "files", data_dir=tmp_path / "data", options=FAST)
    assert relay.run_until_idle(timeout=60).sent == 4
    with client.write() as session:  # every item sent again: the hub answers replays, nothing doubles
        session.execute(text("UPDATE outbox SET state = 'pending'"))
    relay.run_until_idle(timeout=60)
    with hub.hub.store.read() as session:
        received = service.list_cases(session, hub.files)
        assert session.execute(text("SELECT count(*) FROM hub_case")).scalar() == 4
        stored = session.execute(text("SELECT payload FROM hub_case")).scalars().all()
    assert sorted(c["case_no"] for c in received) == numbers
    assert all(str(p).startswith("zc1:") for p in stored)
    db = Path(hub.db_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = db.read_bytes()
    for secret in secrets:
        assert secret.encode() not in raw, secret


def test_a_hub_without_its_key_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    open_hub_store(url, key_file=tmp_path / "hub.key").dispose()
    with pytest.raises(DataKeyError, match=r"找不到数据密钥文件.*枢纽数据库"):
        open_hub_store(url, key_file=tmp_path / "gone.key")
    assert not (tmp_path / "gone.key").exists()
    open_hub_store(url, key_file=tmp_path / "hub.key").dispose()


def test_hub_key_rotate_reseals_the_received_cases(hub: RunningHub, client: Store, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import os

    from app.store.crypto import read_key_file
    from sync.server.__main__ import main

    numbers = seed_cases(client, tmp_path / "files", 2)
    relay = Relay(client, HubConfig(hub.url, hub.token, connect_timeout=2, read_timeout=5),
                  files_dir=tmp_path / "files", data_dir=tmp_path / "data", options=FAST)
    assert relay.run_until_idle(timeout=60).sent == 2
    hub.hub.stop()  # "stop the hub first"
    assert main(["key", "rotate", "--json", "--db", hub.db_url]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["values"] >= 2
    assert read_key_file(Path(os.environ["ZC_HUB_KEY_FILE"])).active == report["new_key"]
    store = open_hub_store(hub.db_url)
    with store.read() as session:
        stored = session.execute(text("SELECT payload FROM hub_case")).scalars().all()
        assert all(str(p).startswith(f"zc1:{report['new_key']}:") for p in stored)
        assert sorted(c["case_no"] for c in service.list_cases(session, hub.files)) == numbers
    store.dispose()
