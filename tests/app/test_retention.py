"""After the hall's retention period, a closed case keeps its facts but not the applicant's personal data."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.cases.service import AttachmentInput, accept_case
from app.errors import ValidationError
from app.retention import mask_expired_cases
from app.store import Store
from app.store.models import Attachment, AuditEvent, Case, Outbox
from tests.app._case_kit import pension_request, person_id, prepare
from tests.hall_clock import CLOCK, on


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    prepare(sqlite_store)
    return sqlite_store


def closed_case(store: Store, files: Path, *, seq: int, state: str, closed: dt.datetime) -> str:
    request = pension_request(id_no=person_id(seq=seq), files=(AttachmentInput("身份证.jpg", b"scan-%d" % seq),))
    summary = accept_case(store, request, files_dir=files, clock=CLOCK)
    with store.write() as s:
        s.execute(update(Case).where(Case.id == summary.id).values(state=state, updated_at=closed))
        s.execute(update(Outbox).where(Outbox.case_id == summary.id).values(state="done"))
    return summary.case_no


def test_closed_cases_past_the_period_are_masked_and_their_scans_deleted(store: Store, tmp_path: Path) -> None:
    files = tmp_path / "files"
    old = closed_case(store, files, seq=11, state="handed_over", closed=dt.datetime(2022, 5, 1, tzinfo=dt.UTC))
    recent = closed_case(store, files, seq=12, state="handed_over", closed=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    open_case = closed_case(store, files, seq=13, state="accepted", closed=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    clock = on(dt.date(2026, 12, 7))
    dry = mask_expired_cases(store, files_dir=files, clock=clock, years=3, dry_run=True)
    assert dry.cases == [old]
    report = mask_expired_cases(store, files_dir=files, clock=clock, years=3)
    assert report.cases == [old] and report.files_deleted == 1 and str(report.cutoff) == "2023-12-07"
    with store.read() as s:
        by_no = {c.case_no: c for c in s.scalars(select(Case))}
        masked = by_no[old]
        assert masked.applicant_name == "其**" and masked.applicant_id_no == "150929********" + person_id(seq=11)[-4:]
        assert masked.applicant_phone == "" and masked.applicant_address == ""
        assert masked.matter_code and masked.decision and masked.accepted_at  # the facts stay
        assert by_no[recent].applicant_id_no == person_id(seq=12)
        assert by_no[open_case].applicant_id_no == person_id(seq=13)
        assert s.scalars(select(Attachment).where(Attachment.case_id == masked.id)).all() == []
        payload = s.scalars(select(Outbox.payload).where(Outbox.case_id == masked.id)).one()
        assert payload["applicant"]["id_no"] == masked.applicant_id_no and payload["applicant"]["phone"] == ""
        entry = s.scalars(select(AuditEvent).where(AuditEvent.action == "retention.mask")).one()
        assert entry.detail["case_nos"] == [old]
    assert mask_expired_cases(store, files_dir=files, clock=clock, years=3).cases == []  # idempotent
    db = Path(str(store.engine.url.database))
    store.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = db.read_bytes()
    assert person_id(seq=11).encode() not in raw  # nowhere in the file any more
    # The numbers kept are sealed at rest (app.store.crypto): not in clear either, yet read back above.
    assert person_id(seq=12).encode() not in raw and b"zc1:" in raw


def test_no_period_set_means_nothing_is_masked_and_says_so(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"hall\.retention_years"):
        mask_expired_cases(store, files_dir=tmp_path, clock=CLOCK, years=0)
