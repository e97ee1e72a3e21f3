"""Read side of cases: frozen views for the UI, the CLI and printing, and the queries that build them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.cases.lifecycle import next_actions, state_label
from app.masking import mask_id
from app.store.crypto import blind_index
from app.store.models import Case
from app.vocabulary import CASE_ACTION_LABELS, DECISION_LABELS, MATERIAL_STATE_LABELS


def _aware(at: dt.datetime | None) -> dt.datetime | None:
    if at is not None and at.tzinfo is None:
        return at.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC
    return at


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class CaseSummary:
    id: str
    case_no: str
    hall_code: str
    window_number: int
    matter_code: str
    matter_name: str
    department: str
    applicant_name: str
    applicant_id_no: str
    decision: str
    state: str
    flagged: str
    accepted_at: dt.datetime
    service_date: dt.date
    promised_due: dt.date | None
    legal_due: dt.date | None
    supplement_due: dt.date | None
    source: str
    scope: str
    target_region: str

    @property
    def decision_label(self) -> str:
        return DECISION_LABELS.get(self.decision, self.decision)

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "case_no": self.case_no, "hall_code": self.hall_code,
            "window_number": self.window_number, "matter_code": self.matter_code,
            "matter_name": self.matter_name, "department": self.department,
            "applicant_name": self.applicant_name, "applicant_id_no": mask_id(self.applicant_id_no),
            "decision": self.decision, "decision_label": self.decision_label, "state": self.state,
            "state_label": self.state_label, "flagged": self.flagged, "accepted_at": _iso(self.accepted_at),
            "service_date": _iso(self.service_date), "promised_due": _iso(self.promised_due),
            "legal_due": _iso(self.legal_due), "supplement_due": _iso(self.supplement_due),
            "source": self.source, "scope": self.scope, "target_region": self.target_region,
        }


@dataclass(frozen=True)
class MaterialView:
    key: str
    name: str
    core: bool
    copies: int
    form: str
    state: str
    due: dt.date | None
    supplied_at: dt.datetime | None

    @property
    def state_label(self) -> str:
        label = MATERIAL_STATE_LABELS.get(self.state, self.state)
        if self.state == "deferred":
            return f"{label}（已补交）" if self.supplied_at else f"{label}（{_iso(self.due)}前）"
        return label


@dataclass(frozen=True)
class AttachmentView:
    id: str
    material_key: str
    filename: str
    path: str
    sha256: str
    size: int
    mime: str


@dataclass(frozen=True)
class EventView:
    kind: str
    from_state: str
    to_state: str
    actor: str
    at: dt.datetime
    detail: dict[str, Any]


@dataclass(frozen=True)
class CaseView:
    summary: CaseSummary
    applicant_kind: str
    applicant_id_kind: str
    applicant_phone: str
    applicant_address: str
    legal_rep: str
    proxy: dict[str, Any] | None
    clerk_id: int | None
    catalog_version_id: int
    materials: tuple[MaterialView, ...]
    reasons: tuple[str, ...]
    notice: tuple[dict[str, Any], ...]
    attachments: tuple[AttachmentView, ...]
    history: tuple[EventView, ...]
    next_actions: tuple[str, ...]
    delivery: str
    mail_address: str
    tracking_no: str
    result: str
    result_note: str
    matter_snapshot: dict[str, Any]
    time_notes: tuple[str, ...] = ()  # paused / extended / periods not counted (app.cases.deadlines)
    bundle: Any = None  # app.cases.bundle.BundleView: the 一件事一次办 intake the case is part of (find_case fills it)

    @property
    def case_no(self) -> str:
        return self.summary.case_no

    @property
    def state(self) -> str:
        return self.summary.state

    def to_json(self) -> dict[str, Any]:
        data = self.summary.to_json()
        data["applicant_id_no"] = self.summary.applicant_id_no  # the clerk asked for this case explicitly
        data.update({
            "applicant_kind": self.applicant_kind, "applicant_id_kind": self.applicant_id_kind,
            "applicant_phone": self.applicant_phone, "applicant_address": self.applicant_address,
            "legal_rep": self.legal_rep, "proxy": self.proxy, "catalog_version": self.catalog_version_id,
            "materials": [
                {"key": m.key, "name": m.name, "core": m.core, "copies": m.copies, "form": m.form,
                 "state": m.state, "state_label": m.state_label, "due": _iso(m.due),
                 "supplied_at": _iso(m.supplied_at)}
                for m in self.materials
            ],
            "reasons": list(self.reasons), "notice": list(self.notice),
            "attachments": [a.__dict__ for a in self.attachments],
            "history": [
                {"kind": e.kind, "from_state": e.from_state, "to_state": e.to_state, "actor": e.actor,
                 "at": _iso(e.at), "detail": e.detail}
                for e in self.history
            ],
            "next_actions": [{"action": a, "label": CASE_ACTION_LABELS.get(a, a)} for a in self.next_actions],
            "delivery": self.delivery, "mail_address": self.mail_address, "tracking_no": self.tracking_no,
            "result": self.result, "result_note": self.result_note, "time_notes": list(self.time_notes),
        })
        return data


def summary_of(case: Case) -> CaseSummary:
    accepted_at = _aware(case.accepted_at)
    assert accepted_at is not None
    return CaseSummary(
        id=case.id, case_no=case.case_no, hall_code=case.hall_code, window_number=case.window_number,
        matter_code=case.matter_code, matter_name=case.matter_name, department=case.department,
        applicant_name=case.applicant_name, applicant_id_no=case.applicant_id_no, decision=case.decision,
        state=case.state, flagged=case.flagged, accepted_at=accepted_at, service_date=case.service_date,
        promised_due=case.promised_due, legal_due=case.legal_due, supplement_due=case.supplement_due,
        source=case.source, scope=case.scope, target_region=case.target_region,
    )


def _time_notes(case: Case) -> tuple[str, ...]:
    from app.cases.time_rules import deadlines_of
    from app.errors import CalendarError

    if not any(e.kind in ("extend", "clock_stop", "clock_resume", "return") for e in case.events):
        return ()
    try:
        return tuple(deadlines_of(case).notes())
    except CalendarError as exc:
        return (exc.message,)


def view_of(case: Case) -> CaseView:
    detail = case.decision_detail or {}
    return CaseView(
        summary=summary_of(case),
        applicant_kind=case.applicant_kind, applicant_id_kind=case.applicant_id_kind,
        applicant_phone=case.applicant_phone, applicant_address=case.applicant_address,
        legal_rep=case.legal_rep, proxy=case.proxy, clerk_id=case.clerk_id,
        catalog_version_id=case.catalog_version_id,
        materials=tuple(
            MaterialView(key=m.key, name=m.name, core=m.core, copies=m.copies, form=m.form, state=m.state,
                         due=m.due, supplied_at=_aware(m.supplied_at))
            for m in sorted(case.materials, key=lambda m: m.id or 0)
        ),
        reasons=tuple(detail.get("reasons", ())),
        notice=tuple(detail.get("notice", ())),
        attachments=tuple(
            AttachmentView(id=a.id, material_key=a.material_key, filename=a.filename, path=a.path,
                           sha256=a.sha256, size=a.size, mime=a.mime)
            for a in sorted(case.attachments, key=lambda a: (a.material_key, a.path))
        ),
        history=tuple(
            EventView(kind=e.kind, from_state=e.from_state, to_state=e.to_state, actor=e.actor,
                      at=_aware(e.at) or e.at, detail=e.detail or {})
            for e in case.events
        ),
        next_actions=tuple(next_actions(case)),
        delivery=case.delivery, mail_address=case.mail_address, tracking_no=case.tracking_no,
        result=case.result, result_note=case.result_note, matter_snapshot=case.matter_snapshot or {},
        time_notes=_time_notes(case),
    )


def find_case(session: Session, case_no: str) -> CaseView | None:
    """The whole case by 受理编号 (spaces allowed, as read aloud), or None."""
    no = re.sub(r"[\s\-]", "", case_no or "")
    case = session.scalars(
        select(Case)
        .where(Case.case_no == no)
        .options(selectinload(Case.materials), selectinload(Case.events), selectinload(Case.attachments))
    ).one_or_none()
    if case is None:
        return None
    view = view_of(case)
    if case.bundle_id:  # 一件事一次办: the lookup shows the intake's other cases and whether all are done
        from dataclasses import replace

        from app.cases.bundle import bundle_view

        view = replace(view, bundle=bundle_view(session, case.bundle_id))
    return view


def case_exists(session: Session, case_no: str) -> bool:
    """Is there a case with exactly this 受理编号 (digits only)? The scanner asks before it guesses."""
    return session.scalar(select(Case.id).where(Case.case_no == case_no).limit(1)) is not None


def search_cases(session: Session, *, text: str, limit: int = 50) -> list[CaseSummary]:
    """Cases by 受理编号 (or its start), applicant ID number, applicant name or matter name; newest first."""
    query = re.sub(r"[\s\-]", "", text or "")
    if not query:
        return []
    # autoescape: a % or _ typed by the clerk is a character to find, not a LIKE wildcard matching every case.
    conditions = [Case.case_no.startswith(query, autoescape=True)]
    index = blind_index(session, query)  # the ID number is sealed: found by its blind index
    if index:
        conditions.append(Case.applicant_id_index == index)
    if not query.isdigit():
        conditions += [Case.applicant_name.contains(query, autoescape=True),
                       Case.matter_name.contains(query, autoescape=True)]
    rows = session.scalars(
        select(Case).where(or_(*conditions)).order_by(Case.accepted_at.desc()).limit(limit)
    ).all()
    return [summary_of(c) for c in rows]


def list_cases(
    session: Session,
    *,
    day: dt.date | None = None,
    state: str | None = None,
    hall_code: str | None = None,
    flagged: bool | None = None,
    limit: int = 500,
) -> list[CaseSummary]:
    """Cases of one service day and/or state, oldest first (the order they were accepted)."""
    query = select(Case)
    if day is not None:
        query = query.where(Case.service_date == day)
    if state:
        query = query.where(Case.state == state)
    if hall_code:
        query = query.where(Case.hall_code == hall_code)
    if flagged is True:
        query = query.where(Case.flagged != "")
    query = query.order_by(Case.accepted_at, Case.case_no).limit(limit)
    return [summary_of(c) for c in session.scalars(query).all()]
