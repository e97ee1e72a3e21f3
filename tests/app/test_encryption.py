"""ID numbers and phones sealed at rest (app.store.crypto): not in the file in clear, still found by ID through
the blind index on both engines; a missing or wrong key refused with the clerk-facing message and nothing lost;
the migration seals what an older store holds; rotation re-seals with a new key generation."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.assist import HelpInput, record_help
from app.cases import ProxyInput, accept_case, find_case, search_cases
from app.errors import StoreError
from app.excluded import add_excluded, list_excluded
from app.staff import Actor
from app.store import Store, open_store
from app.store.crypto import DataKeyError, read_key_file
from app.store.models import AuditEvent, Case, ExcludedApplicant, HelpRecord, Outbox
from tests.app._case_kit import pension_request, person_id, prepare
from tests.hall_clock import CLOCK

PHONE = "13800000000"  # pension_request's applicant phone
ADMIN = Actor.local_operator("150929")


def _checkpointed_bytes(db: Path) -> bytes:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    wal = db.with_name(db.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_the_database_file_holds_no_id_number_or_phone_in_clear(tmp_path: Path) -> None:
    db = tmp_path / "counter.db"
    store = open_store(f"sqlite:///{db}")
    prepare(store)
    applicant, proxy_no = person_id(seq=401), person_id(seq=402, birth="19700202")
    accept_case(store, pension_request(id_no=applicant, proxy=ProxyInput(name="巴特尔", id_no=proxy_no,
                                                                          phone="13900000001")),
                files_dir=tmp_path / "files", clock=CLOCK)
    listed = person_id(seq=403, birth="19750505")
    add_excluded(store, ADMIN, listed, "失信被执行人", clock=CLOCK)
    with store.read() as s:
        hall_code, case_no = s.execute(select(Case.hall_code, Case.case_no)).one()
    # 代办 help record: it copies the case's proxy (the agent's ID and phone)
    record_help(store, HelpInput(hall_code=hall_code, helper="王芳", mode="on_behalf", case_no=case_no), clock=CLOCK)
    with store.read() as s:  # everything reads back in clear through the store
        case = s.scalars(select(Case)).one()
        assert case.applicant_id_no == applicant and case.applicant_phone == PHONE
        assert case.proxy is not None and case.proxy["id_no"] == proxy_no
        outbox = s.scalars(select(Outbox).where(Outbox.kind == "case.accept")).one()
        assert outbox.payload["applicant"]["id_no"] == applicant  # relayed in clear over TLS
        assert any(listed in json.dumps(e.detail) for e in s.scalars(select(AuditEvent)))
        assert s.scalars(select(HelpRecord)).one().agent["id_no"] == proxy_no  # type: ignore[index]
    store.dispose()
    raw = _checkpointed_bytes(db)
    for secret in (applicant, proxy_no, listed, PHONE, "13900000001"):
        assert secret.encode() not in raw, secret
    assert b"zc1:" in raw  # sealed values are there


def test_lookup_by_id_number_works_on_both_engines(any_store: Store, tmp_path: Path) -> None:
    prepare(any_store)
    wanted = person_id(seq=411)
    accept_case(any_store, pension_request(id_no=person_id(seq=412)), files_dir=tmp_path, clock=CLOCK)
    made = accept_case(any_store, pension_request(id_no=wanted), files_dir=tmp_path, clock=CLOCK)
    with any_store.read() as s:
        found = search_cases(s, text=wanted.lower())  # normalised like the ID itself: x → X, spaces
        assert [c.case_no for c in found] == [made.case_no]
        assert search_cases(s, text=person_id(seq=499)) == []
        indexes = list(s.scalars(select(Case.applicant_id_index)))
        assert len(set(indexes)) == 2 and all(len(i) == 64 for i in indexes)
        stored = s.execute(text('SELECT applicant_id_no FROM "case"')).scalars().all()
        assert all(v.startswith("zc1:") and wanted not in v for v in stored)
    # the excluded list: keyed by the blind index, its search matches the opened numbers
    listed = person_id(seq=413, birth="19660606")
    add_excluded(any_store, ADMIN, listed, "失信被执行人", clock=CLOCK)
    assert [r.id_no for r in list_excluded(any_store, listed[:10])] == [listed]
    with any_store.read() as s:
        from app.cases.service import excluded_reason

        assert excluded_reason(s, listed.lower()) is not None
        assert s.scalars(select(ExcludedApplicant.id_index)).one() != listed


def test_a_sealed_column_cannot_be_compared_in_sql_by_mistake() -> None:
    with pytest.raises(TypeError, match="blind index"):
        _ = Case.applicant_id_no == "150929198001010011"


def _accepted_store(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "counter.db"
    store = open_store(f"sqlite:///{db}")
    prepare(store)
    case = accept_case(store, pension_request(id_no=person_id(seq=421)), files_dir=tmp_path / "files", clock=CLOCK)
    store.dispose()
    return db, case.case_no


def test_a_missing_key_is_refused_with_what_to_do_and_no_new_key_is_made(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    db, case_no = _accepted_store(tmp_path)
    key = Path(os.environ["ZC_STORE_KEY_FILE"])
    before = db.read_bytes()
    gone = tmp_path / "elsewhere" / "data.key"
    with pytest.raises(DataKeyError) as err:
        open_store(f"sqlite:///{db}", key_file=gone)
    assert "找不到数据密钥文件" in err.value.message and "不要新建密钥" in err.value.message
    assert isinstance(err.value, StoreError)  # the screens and the CLI show StoreErrors as they are
    assert not gone.exists() and db.read_bytes() == before  # nothing made, nothing written
    store = open_store(f"sqlite:///{db}", key_file=key)  # the right key back: everything is there
    with store.read() as s:
        view = find_case(s, case_no)
        assert view is not None and view.summary.applicant_id_no == person_id(seq=421)
    store.dispose()


def test_a_wrong_key_is_refused_and_loses_nothing(tmp_path: Path) -> None:
    db, case_no = _accepted_store(tmp_path)
    other = tmp_path / "other.key"
    other_store = open_store(f"sqlite:///{tmp_path / 'other.db'}", key_file=other)  # makes its own key
    other_store.dispose()
    before = db.read_bytes()
    with pytest.raises(DataKeyError) as err:
        open_store(f"sqlite:///{db}", key_file=other)
    assert "中没有这把密钥" in err.value.message and "原来的密钥文件" in err.value.message
    assert db.read_bytes() == before
    broken = tmp_path / "broken.key"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataKeyError, match="已损坏"):
        open_store(f"sqlite:///{db}", key_file=broken)
    store = open_store(f"sqlite:///{db}")
    with store.read() as s:
        assert find_case(s, case_no) is not None
    store.dispose()


def test_a_new_store_makes_its_key_file_0600_outside_the_data_directory(tmp_path: Path) -> None:
    key = tmp_path / "config" / "data.key"
    store = open_store(f"sqlite:///{tmp_path / 'data' / 'counter.db'}", key_file=key)
    store.dispose()
    assert key.exists() and (key.stat().st_mode & 0o777) == 0o600
    keys = read_key_file(key)
    assert len(keys.generations) == 1 and keys.active in keys.generations


def test_the_migration_seals_what_an_older_store_holds(any_url: str, tmp_path: Path) -> None:
    from alembic import command

    from app.store.migrate import alembic_config

    store = open_store(any_url)
    prepare(store)
    number = person_id(seq=431)
    made = accept_case(store, pension_request(id_no=number), files_dir=tmp_path, clock=CLOCK)
    add_excluded(store, ADMIN, person_id(seq=432, birth="19660606"), "失信被执行人", clock=CLOCK)
    command.downgrade(alembic_config(store), "0006")  # back to clear text, as a store made before this was
    with store.engine.connect() as conn:
        clear = conn.execute(text('SELECT applicant_id_no, applicant_phone FROM "case"')).one()
        assert tuple(clear) == (number, PHONE)
        assert conn.execute(text("SELECT id_no FROM excluded_applicant")).scalar() == person_id(seq=432, birth="19660606")
    store.dispose()
    store = open_store(any_url)  # upgrades: 0010 seals every row
    with store.engine.connect() as conn:
        sealed = conn.execute(text('SELECT applicant_id_no, applicant_phone FROM "case"')).one()
        assert all(str(v).startswith("zc1:") for v in sealed)
        payload = conn.execute(text("SELECT payload FROM outbox")).scalars().all()
        assert payload and all(str(p).startswith("zc1:") for p in payload)
    with store.read() as s:
        assert [c.case_no for c in search_cases(s, text=number)] == [made.case_no]
        case = s.scalars(select(Case)).one()
        assert case.applicant_phone == PHONE
        assert case.proxy is None  # JSON null became SQL NULL: the daily report's 代办 count stays right
        assert s.scalar(select(Case.id).where(Case.proxy.is_not(None))) is None
    assert [r.id_no for r in list_excluded(store)] == [person_id(seq=432, birth="19660606")]
    store.dispose()


def test_a_backup_restores_with_the_key_kept_apart(tmp_path: Path) -> None:
    from app.store.backup import backup

    db, case_no = _accepted_store(tmp_path)
    store = open_store(f"sqlite:///{db}")
    made = backup(store, clock=CLOCK)
    store.dispose()
    assert person_id(seq=421).encode() not in made.path.read_bytes()  # a backup is sealed too, and has no key
    copy = tmp_path / "restored" / "counter.db"
    copy.parent.mkdir()
    shutil.copy(made.path, copy)
    store = open_store(f"sqlite:///{copy}")  # the same key file opens it
    with store.read() as s:
        view = find_case(s, case_no)
        assert view is not None and view.summary.applicant_id_no == person_id(seq=421)
    store.dispose()


def test_key_rotate_reseals_everything_and_older_backups_still_open(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from app.store.backup import backup
    from console import main

    db, case_no = _accepted_store(tmp_path)
    store = open_store(f"sqlite:///{db}")
    listed = person_id(seq=441, birth="19660606")
    add_excluded(store, ADMIN, listed, "失信被执行人", clock=CLOCK)
    before = backup(store, clock=CLOCK)
    old_key = read_key_file(Path(os.environ["ZC_STORE_KEY_FILE"])).active
    store.dispose()
    assert main(["--db", f"sqlite:///{db}", "key", "rotate", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["old_key"] == old_key and report["new_key"] != old_key and report["values"] > 0
    keys = read_key_file(Path(os.environ["ZC_STORE_KEY_FILE"]))
    assert keys.active == report["new_key"] and old_key in keys.generations  # kept for older backups
    store = open_store(f"sqlite:///{db}")
    with store.engine.connect() as conn:
        stored = conn.execute(text('SELECT applicant_id_no FROM "case"')).scalar()
        assert str(stored).startswith(f"zc1:{report['new_key']}:")
        probe = conn.execute(text("SELECT index_key_id FROM data_key")).scalar()
        assert probe == report["new_key"]
    with store.read() as s:
        assert [c.case_no for c in search_cases(s, text=person_id(seq=421))] == [case_no]  # new blind index
        from app.cases.service import excluded_reason

        assert excluded_reason(s, listed) is not None
    store.dispose()
    restored = tmp_path / "restored" / "counter.db"
    restored.parent.mkdir()
    shutil.copy(before.path, restored)
    store = open_store(f"sqlite:///{restored}")  # a backup from before the rotation: old generation, old index
    with store.read() as s:
        assert [c.case_no for c in search_cases(s, text=person_id(seq=421))] == [case_no]
    store.dispose()
