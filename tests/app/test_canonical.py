"""One canonical JSON for client and hub: the bytes of every payload in use equal what each former copy produced,
so outbox hashes, hub digests and catalog fingerprints made before the merge still match."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.canonical import canonical_json, canonical_sha256
from app.cases.lifecycle import receive_supplement
from app.cases.service import AttachmentInput, accept_case
from app.catalog.loader import load_catalog
from app.catalog.payload import catalog_sha256, catalog_to_payload
from app.store import Store
from app.store.models import Outbox
from tests.app._case_kit import MONDAY, pension_request, prepare
from tests.hall_clock import CLOCK


def former_case_json(payload: Any) -> bytes:
    """app/cases/payload.py's canonical_json before the merge (the client's outbox hashes)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode(
        "utf-8")


def former_hub_json(obj: Any) -> bytes:
    """sync/server/service.py's and app/catalog/payload.py's copy (the hub's digests, catalog fingerprints)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def payloads_in_use(store: Store, files_dir: Path) -> list[dict[str, Any]]:
    """A 容缺 case with a pledge and a scan (accept), its 补正 (update), and the shipped catalog."""
    prepare(store)
    request = pension_request(photo="deferred", pledge="pledge",
                              files=(AttachmentInput("照片.jpg", b"\xff\xd8scan", "image/jpeg"),))
    summary = accept_case(store, request, files_dir=files_dir, clock=CLOCK)
    with store.write() as session:
        receive_supplement(session, case_no=summary.case_no, material_keys=["photo"], actor="clerk01",
                           at=MONDAY + dt.timedelta(days=1))
    with store.read() as session:
        rows = list(session.scalars(select(Outbox).order_by(Outbox.seq)))
        outbox = [(row.kind, dict(row.payload), row.sha256) for row in rows]
    assert [kind for kind, _p, _h in outbox] == ["case.accept", "case.update"]
    for _kind, payload, stored in outbox:
        assert stored == canonical_sha256(payload)
    return [payload for _k, payload, _h in outbox] + [catalog_to_payload(load_catalog())]


def test_every_payload_in_use_has_the_bytes_both_former_copies_made(sqlite_store: Store, tmp_path: Path) -> None:
    for payload in payloads_in_use(sqlite_store, tmp_path):
        as_sent = json.loads(json.dumps(payload))  # what the hub parses out of the HTTP body
        assert canonical_json(payload) == former_case_json(payload) == former_hub_json(payload)
        assert canonical_json(as_sent) == canonical_json(payload)
        assert b"\\u" not in canonical_json(payload)  # Chinese text as UTF-8, never escaped


def test_catalog_fingerprint_is_unchanged() -> None:
    import hashlib

    catalog = load_catalog()
    assert catalog_sha256(catalog) == hashlib.sha256(former_hub_json(catalog_to_payload(catalog))).hexdigest()


def test_a_value_json_cannot_carry_is_refused_not_stringified() -> None:
    # The hub hashes what it parses from JSON; a date turned into str() here would never hash the same there.
    with pytest.raises(TypeError):
        canonical_json({"due": dt.date(2026, 11, 30)})
