"""The audit entries form a hash chain: an entry edited or deleted with plain sqlite3 is named by audit verify."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth import audit, record_audit
from app.store import Store, open_store
from app.store.audit_chain import entry_hash, verify
from app.store.models import AuditEvent
from tests.hall_clock import CLOCK

REPO = Path(__file__).resolve().parents[2]


def write_entries(store: Store, n: int) -> None:
    at = CLOCK.now()
    for i in range(n):
        record_audit(store, action="login.ok", actor=f"clerk{i:02d}", at=at + dt.timedelta(seconds=i),
                     target=f"window:{i}", detail={"n": i, "名": "其木格"})
    with store.write() as session:  # several entries in one flush keep their order
        for i in range(n, n + 3):
            audit(session, action="case.accept", actor="clerk01", at=at, target=f"case:{i}")


def test_entries_chain_on_both_engines(any_store: Store) -> None:
    write_entries(any_store, 4)
    with any_store.read() as session:
        rows = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        report = verify(session)
    assert report.intact and report.checked == 7 and report.head == rows[-1].hash
    assert rows[0].prev_hash == "" and all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))


def run_verify(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "audit", "verify", "--json", "--db", f"sqlite:///{db}"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("tamper, reason", [
    ("UPDATE audit_event SET actor = 'nobody' WHERE id = 3", "内容被改动"),
    ("UPDATE audit_event SET detail = '{\"n\": 99}' WHERE id = 3", "内容被改动"),
    ("DELETE FROM audit_event WHERE id = 3", "被删除"),
])
def test_audit_verify_names_the_first_entry_changed_with_plain_sqlite3(tmp_path: Path, tamper: str,
                                                                       reason: str) -> None:
    db = tmp_path / "counter.db"
    store = open_store(f"sqlite:///{db}")
    write_entries(store, 5)
    store.dispose()
    clean = run_verify(db)
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["intact"] and json.loads(clean.stdout)["checked"] == 8
    with sqlite3.connect(db) as conn:
        conn.execute(tamper)
    broken = run_verify(db)
    assert broken.returncode == 1
    first = json.loads(broken.stdout)["first_broken"]
    assert first["position"] == 3 and reason in first["message"]
    assert first["id"] == (3 if tamper.startswith("UPDATE") else 4)
    text = subprocess.run([sys.executable, "-m", "app", "audit", "verify", "--db", f"sqlite:///{db}"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert text.returncode == 1 and "审计记录被篡改：第 3 条审计记录" in text.stderr


def test_a_chain_rebuilt_after_an_edit_verifies_alone_but_not_against_the_hubs_anchor(tmp_path: Path) -> None:
    """The chain's hash has no secret: someone with plain sqlite3 and this code can edit entry 3 and recompute
    every hash after it. Only the head kept at the hub (an anchor) shows that."""
    db = tmp_path / "counter.db"
    store = open_store(f"sqlite:///{db}")
    write_entries(store, 5)
    with store.read() as session:
        kept = verify(session)  # what the day's anchor sent to the hub: (entries, head)
        rows = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert kept.intact and kept.checked == 8
    rebuilt, prev = [], ""
    for row in rows:
        actor = "nobody" if row.id == 3 else row.actor
        digest = entry_hash(prev, at=row.at, actor=actor, action=row.action, target=row.target, host=row.host,
                            detail=row.detail)
        rebuilt.append((actor, prev, digest, row.id))
        prev = digest
    store.dispose()
    with sqlite3.connect(db) as conn:
        conn.executemany("UPDATE audit_event SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?", rebuilt)
    assert run_verify(db).returncode == 0  # the rebuilt chain alone looks intact
    cli = subprocess.run([sys.executable, "-m", "app", "audit", "verify", "--anchor", f"{kept.checked}:{kept.head}",
                          "--json", "--db", f"sqlite:///{db}"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 1, cli.stdout
    first = json.loads(cli.stdout)["first_broken"]
    assert first["position"] == 8 and "与枢纽保存的锚点不符" in first["message"]


def test_migration_chains_the_entries_made_before_it(tmp_path: Path) -> None:
    from alembic import command

    from app.store.migrate import alembic_config

    db = tmp_path / "old.db"
    store = open_store(f"sqlite:///{db}")
    command.downgrade(alembic_config(store), "0003")
    store.dispose()
    with sqlite3.connect(db) as conn:
        conn.executemany("INSERT INTO audit_event (at, actor, action, target, host, detail) VALUES (?,?,?,?,?,?)",
                         [("2026-12-01 01:00:00.000000", "clerk01", "login.ok", "", "", "{}"),
                          ("2026-12-01 01:05:00.000000", "clerk02", "case.accept", "c1", "pc1", '{"a": 1}')])
    store = open_store(f"sqlite:///{db}")
    record_audit(store, action="logout", actor="clerk01", at=CLOCK.now())
    with store.read() as session:
        report = verify(session)
    store.dispose()
    assert report.intact and report.checked == 3
