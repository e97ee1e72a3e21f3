"""Retention of applicants' personal data at the counter (GB/T 35273 §6.1, PIPL §19: kept no longer than needed).

The counter's store is a working copy: the case file of record is the back office's. Once a case has been closed
(handed over, mailed, terminated, refused at the counter, revoked) for longer than the hall's period
(``hall.retention_years``), its personal fields are masked in place — name 张*, ID 150929********1234, phone,
address, mail address and the 代办人's the same way — its scans are deleted, and the copies in its sent outbox rows
and its tickets are masked too. The case itself (number, matter, dates, decision, result) stays, so the counts and
reports of past years do not change. One ``retention.mask`` audit entry records each run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.auth import audit
from app.clock import HallClock
from app.errors import ValidationError
from app.masking import mask_id, mask_name
from app.store.engine import Store
from app.store.models import Attachment, Case, Outbox, Ticket

CLOSED_STATES = ("handed_over", "mailed", "terminated", "refused_at_counter", "revoked")


@dataclass
class RetentionReport:
    cutoff: dt.date
    cases: list[str] = field(default_factory=list)  # case numbers masked
    files_deleted: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"cutoff": self.cutoff.isoformat(), "cases": len(self.cases), "files_deleted": self.files_deleted,
                "case_nos": self.cases}


def _masked_person(person: dict[str, Any]) -> dict[str, Any]:
    out = dict(person)
    for key in ("name", "legal_rep", "contact"):
        if out.get(key):
            out[key] = mask_name(str(out[key]))
    if out.get("id_no"):
        out["id_no"] = mask_id(str(out["id_no"]))
    for key in ("phone", "address", "mail_address"):
        if key in out:
            out[key] = ""
    return out


def _mask_payload(payload: Any) -> Any:
    if not isinstance(payload, dict):
        return payload
    out = dict(payload)
    for key in ("applicant", "proxy"):
        if isinstance(out.get(key), dict):
            out[key] = _masked_person(out[key])
    if out.get("mail_address"):
        out["mail_address"] = ""
    return out


def mask_expired_cases(store: Store, *, files_dir: Path, clock: HallClock, years: int, actor: str = "retention",
                       dry_run: bool = False) -> RetentionReport:
    """Mask the personal data of cases closed before ``today - years``; idempotent (a masked case is skipped)."""
    if years <= 0:
        raise ValidationError("未设置个人信息保存期限：请在设置中填写 hall.retention_years（年，按本大厅档案规定）",
                              field="retention_years")
    today = clock.today()
    try:
        cutoff_day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff_day = today.replace(year=today.year - years, day=28)
    cutoff = dt.datetime.combine(cutoff_day, dt.time(), tzinfo=clock.zone).astimezone(dt.UTC)
    report = RetentionReport(cutoff_day)
    doomed: list[Path] = []
    with store.write() as session:
        cases = list(session.scalars(select(Case).where(Case.state.in_(CLOSED_STATES), Case.updated_at < cutoff,
                                                        Case.applicant_id_index != "")))  # "" once masked
        for case in cases:
            report.cases.append(case.case_no)
            if dry_run:
                continue
            case.applicant_name = mask_name(case.applicant_name)
            case.applicant_id_no = mask_id(case.applicant_id_no)
            case.applicant_phone = ""
            case.applicant_address = ""
            case.mail_address = ""
            if case.legal_rep:
                case.legal_rep = mask_name(case.legal_rep)
            if case.proxy:
                case.proxy = _masked_person(case.proxy)
            for att in session.scalars(select(Attachment).where(Attachment.case_id == case.id)):
                doomed.append(files_dir / att.path)
                session.delete(att)
            for row in session.scalars(select(Outbox).where(Outbox.case_id == case.id,
                                                            Outbox.state.in_(("done", "rejected")))):
                row.payload = _mask_payload(row.payload)
            if case.ticket_id is not None:
                ticket = session.get(Ticket, case.ticket_id)
                if ticket is not None:
                    ticket.id_no, ticket.name = "", mask_name(ticket.name)
        if cases and not dry_run:
            audit(session, action="retention.mask", actor=actor, at=clock.now(), target=f"cases:{len(cases)}",
                  detail={"cutoff": cutoff_day.isoformat(), "years": years, "case_nos": report.cases[:200]})
    for path in doomed:  # after the commit: a file is only gone once no row names it
        if path.exists():
            path.unlink()
            report.files_deleted += 1
    return report
