"""Accepting a case (受理): validate, decide with the checklist, and write everything in one transaction.

One acceptance writes the case, its materials, its attachment records (the files themselves are fsynced before
the commit that names them), the ``accept`` event, the ``case.accept`` outbox row and an audit entry — all or
nothing. The client's request id becomes the case id, so a double click (or a retry after a lost answer) returns
the case already accepted instead of a second one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import signal
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.canonical import canonical_sha256
from app.cases.case_no import allocate_case_no
from app.cases.payload import ACCEPT_KIND, case_payload
from app.cases.request import (
    AcceptRequest,
    ApplicantInput,
    AttachmentInput,
    CorrectionInput,
    MaterialInput,
    ProxyInput,
    check_applicant,
    check_request,
    check_scope,
)
from app.cases.views import CaseSummary, summary_of
from app.catalog.model import Matter
from app.checklist import (
    ApplicantFacts,
    ChecklistPolicy,
    Decision,
    WorkCalendarLike,
    evaluate_checklist,
)
from app.clock import HallClock
from app.errors import CatalogError, NotFound, StoreError
from app.store import Store
from app.store.engine import fsync_file
from app.store.models import (
    Attachment,
    AuditEvent,
    Case,
    CaseEvent,
    CaseMaterial,
    CatalogVersion,
    MatterRow,
    Outbox,
)

# The request types live in app.cases.request; callers may import them from here as well.
__all__ = [
    "AcceptRequest",
    "AcceptResult",
    "ApplicantInput",
    "AttachmentInput",
    "CorrectionInput",
    "MaterialInput",
    "ProxyInput",
    "accept",
    "accept_case",
    "applicant_facts",
    "current_matter",
    "excluded_reason",
    "material_states",
    "preview_decision",
    "supply_materials",
]

CRASH_ENV = "ZC_CRASH_AT"  # test hook: SIGKILL this process at a named point (see tests/app/test_case_kill.py)

T = TypeVar("T")


@dataclass(frozen=True)
class AcceptResult:
    summary: CaseSummary
    decision: Decision
    replayed: bool = False  # True when the request id had already been accepted


@dataclass
class _PlannedFile:
    attachment_id: str
    material_key: str
    filename: str
    relpath: str
    data: bytes
    mime: str
    sha256: str = field(default="")


class _AlreadyAccepted(Exception):
    """The request id was committed by an earlier attempt; carries that case back out of the transaction."""

    def __init__(self, result: AcceptResult) -> None:
        super().__init__("already accepted")
        self.result = result


def _crashpoint(name: str) -> None:
    """Kill this process here when the kill test asks for it; a no-op in normal use."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


# --- reading the inputs of a decision -----------------------------------------------------------------------


def current_matter(session: Session, matter_code: str) -> tuple[int, Matter] | None:
    """(catalog version id, matter) from the current catalog version, or None when no catalog is imported."""
    from app.catalog.payload import matter_from_payload

    version_id = session.scalars(select(CatalogVersion.id).where(CatalogVersion.current.is_(True))).first()
    if version_id is None:
        return None
    row = session.scalars(
        select(MatterRow).where(MatterRow.catalog_version_id == version_id, MatterRow.code == matter_code)
    ).one_or_none()
    if row is None:
        raise NotFound(f"当前事项目录中没有事项编码 {matter_code}", field="matter_code")
    return version_id, matter_from_payload(row.payload)


def excluded_reason(session: Session, id_no: str, *, today: dt.date | None = None) -> str | None:
    """Why the applicant (person or organisation) may not use 容缺/告知承诺, or None: the list's reason with
    when it was listed and until when; an entry whose term ended before ``today`` no longer bars."""
    from app.excluded import bar_text, listed

    row = listed(session, id_no)
    if row is None or (today is not None and row.until is not None and row.until < today):
        return None
    return bar_text(row)


def applicant_facts(session: Session, request: AcceptRequest, id_no: str,
                    today: dt.date | None = None) -> ApplicantFacts:
    reason = excluded_reason(session, id_no, today=today)
    return ApplicantFacts(
        organisation=request.applicant.kind == "organisation",
        proxy=request.proxy is not None,
        excluded=reason is not None,
        excluded_reason=reason or "",
    )


def _default_calendar() -> WorkCalendarLike:
    from app.workdays import default_calendar

    return default_calendar()


def _current(session: Session, matter_code: str) -> tuple[int, Matter]:
    found = current_matter(session, matter_code)
    if found is None:
        raise CatalogError("尚未导入事项目录，请先导入（python -m app catalog import）", field="matter_code")
    return found


def _evaluate(
    session: Session,
    request: AcceptRequest,
    matter: Matter,
    *,
    id_no: str,
    accepted_on: dt.date,
    calendar: WorkCalendarLike | None,
    policy: ChecklistPolicy | None,
) -> Decision:
    """The one place a decision is assembled: who applies (with the excluded list) and the checklist."""
    return evaluate_checklist(
        matter, request.states, applicant=applicant_facts(session, request, id_no, accepted_on),
        accepted_on=accepted_on,
        calendar=calendar or _default_calendar(), policy=policy or ChecklistPolicy(), refusal=request.refusal,
    )


def _decide(
    session: Session,
    request: AcceptRequest,
    *,
    day: dt.date,
    calendar: WorkCalendarLike | None,
    policy: ChecklistPolicy | None,
) -> tuple[int, Matter, Decision, tuple[str, str, str | None]]:
    identity = check_applicant(request.applicant, request.proxy, today=day)
    version_id, matter = _current(session, request.matter_code)
    check_scope(request, matter)
    decision = _evaluate(session, request, matter, id_no=identity[0], accepted_on=day,
                         calendar=calendar, policy=policy)
    from app.cases.levels import check_level

    check_level(matter, request.hall_level, decision.outcome)  # 苏木乡镇/嘎查村: offered here? 代收 only complete
    if request.review:
        from app.cases.review import review_decision

        decision = review_decision(decision, received_on=day, calendar=calendar or _default_calendar())
    return version_id, matter, decision, identity


def preview_decision(
    store: Store,
    request: AcceptRequest,
    *,
    accepted_on: dt.date,
    calendar: WorkCalendarLike | None = None,
    policy: ChecklistPolicy | None = None,
) -> Decision:
    """What 受理 would decide for the form as it stands: the clerk's live banner, decided as :func:`accept`
    decides. The applicant may still be half typed: the number is looked up on the excluded list as typed (a
    number not yet complete is on no list), and the checks of who applies wait for 受理."""
    with store.read() as session:
        _version_id, matter = _current(session, request.matter_code)
        return _evaluate(session, request, matter, id_no=request.applicant.id_no.strip(),
                         accepted_on=accepted_on, calendar=calendar, policy=policy)


# --- accepting ----------------------------------------------------------------------------------------------


def _plan_files(request: AcceptRequest, at: dt.datetime) -> list[_PlannedFile]:
    local = at.astimezone(dt.UTC)
    planned = []
    for item in request.materials:
        for f in item.files:
            attachment_id = str(uuid.uuid4())
            ext = Path(f.filename).suffix.lower().lstrip(".")
            ext = ext if re.fullmatch(r"[a-z0-9]{1,8}", ext) else "bin"
            relpath = f"{local:%Y}/{local:%m}/{attachment_id}.{ext}"
            planned.append(_PlannedFile(attachment_id, item.key, Path(f.filename).name[:200] or "附件",
                                        relpath, f.data, f.mime, hashlib.sha256(f.data).hexdigest()))
    return planned


def _existing(session: Session, case_id: str) -> Case | None:
    return session.scalars(
        select(Case).where(Case.id == case_id).options(selectinload(Case.materials))
    ).one_or_none()


def _replay(case: Case) -> AcceptResult:
    """The decision as recorded for an already accepted request (a double click or a retry)."""
    from app.checklist import MaterialDecision, NoticeItem

    detail = case.decision_detail or {}
    decision = Decision(
        outcome=case.decision,  # type: ignore[arg-type]
        reasons=tuple(detail.get("reasons", ())),
        notice=tuple(NoticeItem(key=n["key"], name=n["name"], form=n["form"], copies=n["copies"],
                                reason=n["reason"], options=n.get("options", ""))
                     for n in detail.get("notice", ())),
        materials=tuple(MaterialDecision(key=m.key, name=m.name, state=m.state, core=m.core, required=True,
                                         accepted=m.state != "missing", due=m.due)
                        for m in sorted(case.materials, key=lambda m: m.id or 0)),
        promised_due=case.promised_due, legal_due=case.legal_due, supplement_due=case.supplement_due,
        deferred=tuple(detail.get("deferred", ())), pledged=tuple(detail.get("pledged", ())),
        correction_due=case.correction_due,
        competent_authority=str(detail.get("competent_office", "") or ""),
    )
    return AcceptResult(summary=summary_of(case), decision=decision, replayed=True)


def accept(
    store: Store,
    request: AcceptRequest,
    *,
    files_dir: Path,
    clock: HallClock,
    calendar: WorkCalendarLike | None = None,
    policy: ChecklistPolicy | None = None,
) -> AcceptResult:
    """Accept (or record the refusal of) one application; see the module docstring for what is written.

    The case is stamped at ``request.accepted_at`` (补录 of a paper case) or else at the hall clock's now; its
    受理编号, service day and deadlines are that instant's hall day."""
    check_request(request)
    at = (request.accepted_at or clock.now()).astimezone(dt.UTC)
    day = clock.day_of(at)
    outreach = _outreach(request, at=at, day=day, clock=clock, calendar=calendar)
    # 政务专递 in: the deadlines (and the ID's validity) run from the day the post was received.
    received = request.post_in.received_on if request.post_in is not None else day
    # One read for the replay check and the decision: every round trip counts at the counter.
    with store.read() as session:
        if session.scalar(select(Case.id).where(Case.id == request.request_id)) is not None:
            done = _existing(session, request.request_id)
            assert done is not None
            return _replay(done)
        has_catalog = session.scalars(select(CatalogVersion.id).where(CatalogVersion.current.is_(True))).first()
        if has_catalog is not None:
            version_id, matter, decision, (id_no, id_kind, proxy_no) = _decide(
                session, request, day=received, calendar=calendar, policy=policy)
    if has_catalog is None:
        from app.catalog.store import ensure_catalog

        ensure_catalog(store)
        with store.read() as session:
            version_id, matter, decision, (id_no, id_kind, proxy_no) = _decide(
                session, request, day=received, calendar=calendar, policy=policy)

    planned = _plan_files(request, at)
    written: list[Path] = []
    try:
        for f in planned:
            target = files_dir / f.relpath
            fsync_file(target, f.data)
            written.append(target)
        _crashpoint("after_files")
        try:
            with store.write() as session:
                if session.scalar(select(Case.id).where(Case.id == request.request_id)) is not None:
                    done = _existing(session, request.request_id)
                    assert done is not None
                    raise _AlreadyAccepted(_replay(done))
                case = _build_case(session, request, matter=matter, version_id=version_id, decision=decision,
                                   at=at, day=day, id_no=id_no, id_kind=id_kind, proxy_no=proxy_no,
                                   planned=planned, outreach=outreach, received=received,
                                   calendar=calendar or _default_calendar())
                summary = summary_of(case)
                _crashpoint("before_commit")
        except IntegrityError as exc:
            # Another PC committed the same request id first (PostgreSQL, concurrent double submit).
            with store.read() as session:
                done = _existing(session, request.request_id)
                if done is not None:
                    raise _AlreadyAccepted(_replay(done)) from None
            raise StoreError(f"办件保存失败：{exc.orig}") from exc
        _crashpoint("after_commit")
    except _AlreadyAccepted as replay:
        for path in written:
            path.unlink(missing_ok=True)  # the earlier attempt's own files are the ones referenced
        return replay.result
    except BaseException:
        for path in written:
            # Nothing references these files: the transaction did not commit.
            path.unlink(missing_ok=True)
        raise
    return AcceptResult(summary=summary, decision=decision)


def accept_case(
    store: Store,
    request: AcceptRequest,
    *,
    files_dir: Path,
    clock: HallClock,
    calendar: WorkCalendarLike | None = None,
    policy: ChecklistPolicy | None = None,
) -> CaseSummary:
    """The contract entry point: accept and return the case's summary (see :func:`accept` for the decision)."""
    return accept(store, request, files_dir=files_dir, clock=clock, calendar=calendar, policy=policy).summary


def _outreach(request: AcceptRequest, *, at: dt.datetime, day: dt.date, clock: HallClock,
              calendar: WorkCalendarLike | None) -> dict[str, Any]:
    """The case's 延时/上门/专递 columns (app.cases.outreach), validated before anything is written."""
    from app.cases.outreach import home_visit_record, is_after_hours, parse_opening_hours, post_in_record

    after = request.after_hours
    if not after and request.opening_hours:
        cal = calendar or _default_calendar()
        is_workday = getattr(cal, "is_workday", None)
        workday = bool(is_workday(day)) if callable(is_workday) else day.weekday() < 5
        after = is_after_hours(clock.local(at), parse_opening_hours(request.opening_hours), workday=workday)
    # Checked against the acceptance's own day (a 补录 of an old paper case is entered long after).
    return {
        "after_hours": after,
        "home_visit": home_visit_record(request.home_visit, today=day, day_of=clock.day_of)
        if request.home_visit is not None else None,
        "post_in": post_in_record(request.post_in, today=day) if request.post_in is not None else None,
    }


def _build_case(
    session: Session,
    request: AcceptRequest,
    *,
    matter: Matter,
    version_id: int,
    decision: Decision,
    at: dt.datetime,
    day: dt.date,
    id_no: str,
    id_kind: str,
    proxy_no: str | None,
    planned: list[_PlannedFile],
    calendar: WorkCalendarLike,
    outreach: dict[str, Any] | None = None,
    received: dt.date | None = None,
    bundle: Mapping[str, object] | None = None,
) -> Case:
    """The case's rows, added to ``session``. ``bundle``: the 一件事一次办 intake it belongs to (``id``, ``code``,
    ``name``, ``matters``; app.cases.bundle), recorded before the payload is built so the hub receives it."""
    from app.cases.pledge_checks import check_json, open_checks
    from app.catalog.payload import matter_to_payload

    service_date = day
    case_no = allocate_case_no(session, hall_code=request.hall_code, window_number=request.window_number,
                               day=service_date)
    state = STATE_OF_OUTCOME[decision.outcome]
    detail = decision.to_json()
    detail.pop("materials", None)  # kept per material in case_material
    detail["received_at"] = at.isoformat()  # 收件: stays when a 补正 case is accepted later
    if request.review:
        detail["review"] = True  # 收件后审查: the notice is still to be given (app.cases.review)
    corrections = [correction_record(c) for c in request.corrections]
    if corrections:
        detail["corrections"] = corrections
    if bundle is not None:
        detail["bundle"] = {k: v for k, v in bundle.items() if k != "id"}
    proxy = None
    if request.proxy is not None:
        proxy = proxy_record(request.proxy, proxy_no=proxy_no, matter=matter, states=request.states)
    case = Case(
        id=request.request_id, case_no=case_no, hall_code=request.hall_code,
        window_number=request.window_number, clerk_id=request.clerk_id, ticket_id=request.ticket_id,
        catalog_version_id=version_id, matter_code=matter.code, matter_name=matter.name,
        department=matter.department, matter_snapshot=matter_to_payload(matter),
        applicant_kind=request.applicant.kind, applicant_name=request.applicant.name.strip(),
        applicant_id_kind=id_kind, applicant_id_no=id_no, applicant_phone=request.applicant.phone.strip(),
        applicant_address=request.applicant.address.strip(), legal_rep=request.applicant.legal_rep.strip(),
        proxy=proxy, decision=decision.outcome, decision_detail=detail, state=state, scope=request.scope,
        target_region=request.target_region, accepted_at=at, service_date=service_date,
        promised_due=decision.promised_due, legal_due=decision.legal_due,
        supplement_due=decision.supplement_due, correction_due=decision.correction_due, delivery=request.delivery,
        mail_address=request.mail_address.strip(), source=request.source, updated_at=at,
        bundle_id=str(bundle["id"]) if bundle is not None else None,
        **(outreach or {}),
    )
    from app.cases.levels import mark_collected, record_collection

    collecting = matter.mode_at(request.hall_level) == "collect"
    if collecting:  # 代收: 收件 here, 受理 (and the deadlines) by the deciding office
        state = mark_collected(case)
    for md in decision.materials:
        material = matter.material(md.key)
        assert material is not None
        case.materials.append(CaseMaterial(
            key=md.key, name=md.name, core=md.core, copies=material.copies, form=material.form,
            state=md.state, due=md.due,
        ))
    for f in planned:
        case.attachments.append(Attachment(
            id=f.attachment_id, material_key=f.material_key, filename=f.filename, path=f.relpath,
            sha256=f.sha256, size=len(f.data), mime=f.mime, created_at=at,
        ))
    case.events.append(CaseEvent(kind="accept", from_state="", to_state=state, actor=request.actor, at=at,
                                 detail={"decision": decision.outcome, "source": request.source}))
    for c in corrections:
        case.events.append(CaseEvent(kind="correct_on_spot", from_state=state, to_state=state,
                                     actor=request.actor, at=at, detail=c))
    session.add(case)
    # 告知承诺: each pledged material gets its 事中事后核查 task, travelling to the hub with the case.
    checks = open_checks(session, case, matter, accepted_on=received or service_date, calendar=calendar, at=at) \
        if decision.outcome in ("normal", "deferred", "pledge") else []
    # The payload reads only attributes set above, so one flush at the end writes everything in a single pass.
    payload = case_payload(case)
    if checks:
        payload["checks"] = [check_json(c) for c in checks]
    session.add(Outbox(op_id=str(uuid.uuid4()), kind=ACCEPT_KIND, case_id=case.id, payload=payload,
                       sha256=canonical_sha256(payload), created_at=at, next_attempt_at=at))
    session.add(AuditEvent(at=at, actor=request.actor, action="case.accept", target=case_no, host=request.host,
                           detail={"decision": decision.outcome, "matter_code": matter.code,
                                   "source": request.source, **({"review": True} if request.review else {})}))
    session.flush()
    from app.cases.instant import complete_at_window, completes_at_window

    if collecting:
        record_collection(session, case, level=request.hall_level, office=matter.department, actor=request.actor,
                          at=at)
    elif completes_at_window(matter, decision.outcome):  # 即办件: 办结 and 出件 in this same visit
        complete_at_window(session, case, actor=request.actor, at=at)
    _crashpoint("after_flush")
    return case


# Where a case stands once its outcome is recorded (补正告知: 收件-待补正, not yet 受理).
STATE_OF_OUTCOME: dict[str, str] = {"normal": "accepted", "pledge": "accepted", "deferred": "awaiting_supplement",
                                    "supplement": "awaiting_correction", "refused": "refused_at_counter"}


def correction_record(c: CorrectionInput) -> dict[str, object]:
    """当场更正 as the case keeps it (the event's detail and ``decision_detail["corrections"]``)."""
    return {"item": c.item.strip(), "before": c.before.strip(), "after": c.after.strip(), "initialled": c.initialled}


def proxy_record(proxy: ProxyInput, *, proxy_no: str | None, matter: Matter, states: Mapping[str, str]
                 ) -> dict[str, object]:
    """帮办代办 as recorded on the case: the agent's validated ID and the 授权委托书 as handed in."""
    from app.catalog.loader import PROXY_AUTH_WORD

    auth = next((m for m in matter.materials if m.condition == "proxy" and PROXY_AUTH_WORD in m.name), None)
    return {
        "name": proxy.name.strip(), "id_no": proxy_no, "phone": proxy.phone.strip(),
        "authorization": None if auth is None else {"key": auth.key, "name": auth.name,
                                                    "state": states.get(auth.key, "missing")},
    }


def with_scans(store: Store, *, materials: tuple[MaterialInput, ...], at: dt.datetime, files_dir: Path,
               work: Callable[[Session, tuple[Attachment, ...]], T]) -> T:
    """Materials brought after 收件 (补交, 补正), with their scans: the materials are checked, the files fsynced,
    then ``work`` runs in one transaction with the attachment rows, stamped at ``at``. If anything fails, the
    files written go again and nothing names them."""
    probe = AcceptRequest(request_id=str(uuid.uuid4()), hall_code="", window_number=0, matter_code="",
                          applicant=ApplicantInput(name="", id_no=""), materials=materials)
    check_request(probe)
    planned = _plan_files(probe, at)
    written: list[Path] = []
    try:
        for f in planned:
            fsync_file(files_dir / f.relpath, f.data)
            written.append(files_dir / f.relpath)
        with store.write() as session:
            rows = tuple(Attachment(id=f.attachment_id, material_key=f.material_key, filename=f.filename,
                                    path=f.relpath, sha256=f.sha256, size=len(f.data), mime=f.mime, created_at=at)
                         for f in planned)
            return work(session, rows)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def supply_materials(
    store: Store,
    *,
    case_no: str,
    materials: tuple[MaterialInput, ...],
    actor: str,
    at: dt.datetime,
    files_dir: Path,
) -> list[str]:
    """补交 with scans (:func:`with_scans`): one transaction records the supplement, the attachment rows, the event
    and the ``case.update`` outbox row. Returns the material keys still owed."""
    from app.cases.lifecycle import receive_supplement

    at = at.astimezone(dt.UTC)
    return with_scans(store, materials=materials, at=at, files_dir=files_dir,
                      work=lambda session, rows: receive_supplement(
                          session, case_no=case_no, material_keys=[m.key for m in materials], actor=actor, at=at,
                          attachments=rows))


def material_states(items: Mapping[str, str]) -> tuple[MaterialInput, ...]:
    """Convenience for scripts and the CLI: ``{"id_card": "original"}`` → MaterialInput tuple."""
    return tuple(MaterialInput(key=k, state=v) for k, v in items.items())  # type: ignore[arg-type]
