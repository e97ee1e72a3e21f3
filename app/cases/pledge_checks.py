"""告知承诺, after the counter: each pledged material's 事中事后核查 task, its finding, and what 不实 brings —
the decision revoked (撤销, 行政许可法 §69), the applicant (person or organisation) on the false-pledge list for the
hall's term, and a credit record. Every step is a case event, so it reaches the hub in the case's outbox rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.lifecycle import TRANSITIONS, _record, _utc, load_case, state_label
from app.catalog.model import DEFAULT_CHECK_DAYS, Matter
from app.clock import HallClock
from app.errors import NotFound, StateError, ValidationError
from app.store import Store
from app.store.models import Case, CreditRecord, PledgeCheck
from app.vocabulary import CHECK_METHOD_LABELS, CHECK_STATE_LABELS


@dataclass(frozen=True)
class CheckView:
    id: int
    case_no: str
    applicant_name: str
    matter_name: str
    material_name: str
    method: str
    due: dt.date
    state: str
    note: str = ""

    @property
    def method_label(self) -> str:
        return CHECK_METHOD_LABELS.get(self.method, self.method)

    @property
    def state_label(self) -> str:
        return CHECK_STATE_LABELS.get(self.state, self.state)

    def overdue(self, today: dt.date) -> bool:
        return self.state == "open" and self.due < today


def check_json(check: PledgeCheck) -> dict[str, Any]:
    """A check task as it travels to the hub (in ``case.accept`` and the result's ``case.update``)."""
    return {"material_key": check.material_key, "material_name": check.material_name, "method": check.method,
            "due": check.due.isoformat(), "state": check.state, "note": check.note}


def open_checks(session: Session, case: Case, matter: Matter, *, accepted_on: dt.date, calendar: Any,
                at: dt.datetime) -> list[PledgeCheck]:
    """One open 核查 task per pledged material of a newly accepted case (the caller's transaction)."""
    rows = []
    for m in case.materials:
        if m.state != "pledge":
            continue
        material = matter.material(m.key)
        terms = material.pledge if material is not None else None
        method = terms.check_method if terms is not None else "document"
        days = terms.check_days if terms is not None else DEFAULT_CHECK_DAYS
        row = PledgeCheck(case_id=case.id, material_key=m.key, material_name=m.name, method=method,
                          due=calendar.add_workdays(accepted_on, days), state="open", created_at=_utc(at))
        session.add(row)
        rows.append(row)
    return rows


def _view(check: PledgeCheck, case: Case) -> CheckView:
    return CheckView(id=check.id, case_no=case.case_no, applicant_name=case.applicant_name,
                     matter_name=case.matter_name, material_name=check.material_name, method=check.method,
                     due=check.due, state=check.state, note=check.note)


def list_checks(session: Session, *, state: str | None = "open", hall_code: str | None = None) -> list[CheckView]:
    """Check tasks (open ones by default), soonest due first: the supervisors' list."""
    query = select(PledgeCheck, Case).join(Case, Case.id == PledgeCheck.case_id)
    if state:
        query = query.where(PledgeCheck.state == state)
    if hall_code:
        query = query.where(Case.hall_code == hall_code)
    rows = session.execute(query.order_by(PledgeCheck.due, PledgeCheck.id)).all()
    return [_view(check, case) for check, case in rows]


def record_check(session: Session, *, check_id: int, found: str, note: str, actor: str, at: dt.datetime,
                 today: dt.date, bar_days: int) -> CheckView:
    """Record a check's finding: ``true`` (属实) closes it; ``false`` (不实) revokes the case's decision, lists
    the applicant on the false-pledge list for ``bar_days`` (the hall's rule) and writes a credit record."""
    from app.identity import normalize_id_text

    if found not in ("true", "false"):
        raise ValidationError("核查结论只能是“属实”或“不实”", field="found")
    note = " ".join(note.split())
    if found == "false" and not note:
        raise ValidationError("核查不实须写明不实的情况（撤销决定书的理由）", field="note")
    check = session.get(PledgeCheck, check_id)
    if check is None:
        raise NotFound(f"没有编号为 {check_id} 的核查任务", field="check_id")
    if check.state != "open":
        raise StateError(f"该核查任务已有结论：{CHECK_STATE_LABELS.get(check.state, check.state)}", field="found")
    case = load_case(session, case_id=check.case_id)
    if found == "false" and "revoked" not in TRANSITIONS.get(case.state, frozenset()):
        raise StateError(f'办件当前状态为"{state_label(case.state)}"，不能撤销', field="found")
    at = _utc(at)
    day = today
    check.state, check.note, check.checked_by, check.checked_at = found, note, actor, at
    detail: dict[str, Any] = {"check": check_json(check), "day": day.isoformat()}
    if found == "true":
        _record(session, case, kind="check_result", to_state=None, actor=actor, at=at, detail=detail)
        return _view(check, case)
    _record(session, case, kind="check_result", to_state=None, actor=actor, at=at, detail=detail)
    reason = f"告知承诺不实（{check.material_name}）：{note}"[:200]
    until = day + dt.timedelta(days=bar_days) if bar_days > 0 else None
    number = normalize_id_text(case.applicant_id_no)
    listing = {"id_no": number, "id_kind": case.applicant_id_kind, "reason": reason, "kind": "false_pledge",
               "listed_on": day.isoformat(), "until": until.isoformat() if until else None, "case_no": case.case_no}
    from app.excluded import listed, new_listing  # app.excluded reads app.cases' CSV helpers

    row = listed(session, number)
    if row is None:
        row = new_listing(session, number)
    # A hub entry is kept but its term may only grow: the later false pledge is the stronger fact.
    row.reason, row.id_kind, row.kind, row.case_no = reason, case.applicant_id_kind, "false_pledge", case.case_no
    row.listed_on = day
    row.until = until if row.until is None or until is None or until > row.until else row.until
    row.updated_at = at
    if row.source != "hub":
        row.source = "local"
    session.add(CreditRecord(id_no=number, id_kind=case.applicant_id_kind, name=case.applicant_name,
                             kind="false_pledge", case_no=case.case_no, recorded_on=day, reason=reason[:300],
                             created_at=at))
    _record(session, case, kind="revoke", to_state="revoked", actor=actor, at=at,
            detail={"reason": reason, "material": check.material_name, "note": note, "day": day.isoformat(),
                    "listing": listing})
    return _view(check, case)


def record_check_finding(store: Store, *, check_id: int, found: str, note: str, actor: str, clock: HallClock,
                         bar_days: int) -> CheckView:
    """:func:`record_check` in a transaction of its own, committed here (the supervisor screen)."""
    at = clock.now()
    with store.write() as session:
        return record_check(session, check_id=check_id, found=found, note=note, actor=actor, at=at,
                            today=clock.day_of(at), bar_days=bar_days)
