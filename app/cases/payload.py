"""The JSON a case travels as: the outbox payloads of kind ``case.accept`` and ``case.update``.

The payload is built from the ORM rows only (no catalog lookup), so what the hub receives is exactly what was
recorded at the counter. Its outbox ``sha256`` is ``app.canonical.canonical_sha256`` of the payload.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.store.models import Case, CaseEvent

ACCEPT_KIND = "case.accept"
UPDATE_KIND = "case.update"


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        # SQLite hands back naive datetimes; everything in the store is UTC.
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def case_payload(case: Case) -> dict[str, Any]:
    """The ``case.accept`` payload: the whole case as accepted, with materials and attachment records; a case of
    a 一件事一次办 intake carries ``bundle`` (its id, code, name and the case numbers of the whole intake)."""
    snapshot = case.matter_snapshot or {}
    out = {
        "id": case.id,
        "case_no": case.case_no,
        "hall_code": case.hall_code,
        "window_number": case.window_number,
        "clerk_id": case.clerk_id,
        "matter_code": case.matter_code,
        "matter_name": case.matter_name,
        "department": case.department,
        "department_code": snapshot.get("department_code", ""),
        "catalog_version": case.catalog_version_id,
        "applicant": {
            "kind": case.applicant_kind,
            "name": case.applicant_name,
            "id_kind": case.applicant_id_kind,
            "id_no": case.applicant_id_no,
            "phone": case.applicant_phone,
            "address": case.applicant_address,
            "legal_rep": case.legal_rep,
            "proxy": case.proxy,
        },
        "decision": case.decision,
        "decision_detail": case.decision_detail,
        "state": case.state,
        "scope": case.scope,
        "target_region": case.target_region,
        "delivery": case.delivery,
        "mail_address": case.mail_address,
        "source": case.source,
        "after_hours": bool(case.after_hours),  # 延时服务 / 上门服务 / 政务专递 in (app.cases.outreach)
        "home_visit": case.home_visit,
        "post_in": case.post_in,
        "accepted_at": _iso(case.accepted_at),
        "service_date": _iso(case.service_date),
        "promised_due": _iso(case.promised_due),
        "legal_due": _iso(case.legal_due),
        "supplement_due": _iso(case.supplement_due),
        "materials": [
            {
                "key": m.key,
                "name": m.name,
                "core": m.core,
                "copies": m.copies,
                "form": m.form,
                "state": m.state,
                "due": _iso(m.due),
                "supplied_at": _iso(m.supplied_at),
            }
            for m in sorted(case.materials, key=lambda m: m.id or 0)
        ],
        "attachments": [
            {
                "id": a.id,
                "material_key": a.material_key,
                "filename": a.filename,
                "path": a.path,
                "sha256": a.sha256,
                "size": a.size,
                "mime": a.mime,
            }
            for a in sorted(case.attachments, key=lambda a: (a.material_key, a.path))
        ],
    }
    if case.bundle_id:
        out["bundle"] = {"id": case.bundle_id, **(case.decision_detail or {}).get("bundle", {})}
    return out


def event_payload(case: Case, event: CaseEvent) -> dict[str, Any]:
    """The ``case.update`` payload: one transition of a case already sent."""
    return {
        "case_id": case.id,
        "case_no": case.case_no,
        "state": case.state,
        "event": {
            "kind": event.kind,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "actor": event.actor,
            "at": _iso(event.at),
            "detail": event.detail,
        },
    }
