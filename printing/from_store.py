"""Build the documents' data straight from the store's rows, and record what was printed (audit, 补打).

Reads Case, CaseMaterial, Hall, Clerk and the case's ``matter_snapshot`` (the matter as it was when accepted,
``app.catalog.payload.matter_to_payload``), so a document printed years later says what was agreed then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.case_no import read_case_no
from app.catalog.payload import limit_from_payload
from app.clock import HallClock
from app.errors import CatalogError, NotFound
from app.language import Languages, languages_for
from app.queue import common as queue_common
from app.settings import Settings
from app.store import Store
from app.store.models import AuditEvent, Case, CaseMaterial, CatalogVersion, Clerk, Hall, Ticket
from app.vocabulary import TIME_UNIT_LABELS
from printing import DOCUMENTS
from printing.data import ApplicantDoc, CaseDoc, HallDoc, MaterialLine, NoticeLine, PledgeDoc, TicketDoc


def local_time(at: dt.datetime | None, clock: HallClock) -> dt.datetime | None:
    """UTC from the store (SQLite hands back naive UTC) → the hall's naive wall-clock time, for printing."""
    return None if at is None else clock.local(at).replace(tzinfo=None)


def _limit_label(raw: Any) -> str:
    limit = limit_from_payload(raw)
    if limit is None:
        return ""
    if limit.amount == 0:
        return "即办"
    return f"{limit.amount}{TIME_UNIT_LABELS.get(limit.unit, '个工作日')}"


def _pledge_terms(snapshot: dict[str, Any], key: str) -> PledgeDoc | None:
    for item in snapshot.get("materials", ()) or ():
        if isinstance(item, dict) and item.get("key") == key and isinstance(item.get("pledge"), dict):
            p = item["pledge"]
            extra = {k: str(p[k]) for k in ("effect", "liability") if p.get(k)}
            try:
                return PledgeDoc(basis=str(p.get("basis", "")), content=str(p["content"]), text=str(p["text"]),
                                 verification=str(p.get("verification", "书面核查")),
                                 personal=bool(p.get("personal", False)), **extra)
            except KeyError as exc:
                raise CatalogError(f"事项 {snapshot.get('code', '?')} 材料 {key} 的告知承诺内容缺少字段 {exc}",
                                   field="pledge") from None
    return None


def _material(row: CaseMaterial, snapshot: dict[str, Any], clock: HallClock) -> MaterialLine:
    known = ("original", "copy", "e_license", "deferred", "pledge", "defective", "missing")
    state = row.state if row.state in known else "missing"
    note = ""
    for item in snapshot.get("materials", ()) or ():
        if isinstance(item, dict) and item.get("key") == row.key:
            note = str(item.get("note", "") or "")
    return MaterialLine(
        key=row.key, name=row.name, state=state, copies=row.copies, form=row.form, core=row.core, due=row.due,  # type: ignore[arg-type]
        supplied=row.supplied_at is not None, note=note,
        supplied_on=clock.day_of(row.supplied_at) if row.supplied_at is not None else None,
        pledge=_pledge_terms(snapshot, row.key) if state == "pledge" else None,
    )


def _notice(detail: dict[str, Any]) -> tuple[NoticeLine, ...]:
    lines = []
    for item in detail.get("notice", ()) or ():
        if isinstance(item, dict) and item.get("name"):
            lines.append(NoticeLine(name=str(item["name"]), copies=int(item.get("copies", 1) or 1),
                                    form=str(item.get("form", "") or ""), reason=str(item.get("reason", "") or ""),
                                    options=str(item.get("options", "") or "")))
        elif isinstance(item, str) and item:
            lines.append(NoticeLine(name=item))
    return tuple(lines)


def _corrections(detail: dict[str, Any]) -> tuple[str, ...]:
    lines = []
    for c in detail.get("corrections", ()) or ():
        if isinstance(c, dict) and c.get("item"):
            before = f"由“{c.get('before')}”" if c.get("before") else ""
            signed = "（申请人签名确认）" if c.get("initialled") else ""
            lines.append(f"{c['item']}：{before}更正为“{c.get('after', '')}”{signed}")
    return tuple(lines)


def _received_at(detail: dict[str, Any], clock: HallClock) -> dt.datetime | None:
    try:
        return local_time(dt.datetime.fromisoformat(str(detail["received_at"])), clock)
    except (KeyError, ValueError):
        return None


def hall_doc(session: Session, hall_code: str) -> HallDoc:
    hall = session.get(Hall, hall_code)
    if hall is None:
        raise NotFound(f"大厅 {hall_code} 不存在：请先初始化大厅信息", field="hall_code")
    return HallDoc(code=hall.code, name=hall.name, address=hall.address, phone=hall.phone,
                   consult_phone=hall.consult_phone, supervise_phone=hall.supervise_phone)


def case_doc(session: Session, case_no: str, *, clock: HallClock, reprint: bool = False,
             settings: Settings | None = None) -> CaseDoc:
    """Everything the case's documents print, read in one session, with its times on the hall's wall clock and
    printed now by ``clock``. ``NotFound`` for an unknown 受理编号.

    The languages follow ``app.language.languages_for(settings, hall_bilingual=<the hall's choice>)``; without
    ``settings`` the hall's choice alone, Mongolian first.

    The number may be typed with spaces or dashes; 19 digits with a wrong check digit are refused with the reason.
    """
    read = read_case_no(case_no)
    number = read.text if read is not None else case_no.strip()
    if not number:
        raise NotFound("请填写受理编号", field="case_no")
    case = session.scalars(select(Case).where(Case.case_no == number)).one_or_none()
    if case is None:
        raise NotFound(f"受理编号 {number} 不存在：请核对编号", field="case_no")
    snapshot: dict[str, Any] = dict(case.matter_snapshot or {})
    detail: dict[str, Any] = dict(case.decision_detail or {})
    hall = hall_doc(session, case.hall_code)
    if snapshot.get("consult_phone") or snapshot.get("supervise_phone"):
        # The matter's own phones are more specific than the hall's switchboard.
        hall = HallDoc(code=hall.code, name=hall.name, address=hall.address, phone=hall.phone,
                       consult_phone=str(snapshot.get("consult_phone") or hall.consult_phone),
                       supervise_phone=str(snapshot.get("supervise_phone") or hall.supervise_phone))
    clerk = session.get(Clerk, case.clerk_id) if case.clerk_id is not None else None
    proxy = case.proxy or {}
    applicant = ApplicantDoc(
        kind="organisation" if case.applicant_kind == "organisation" else "person",
        name=case.applicant_name, id_kind=case.applicant_id_kind, id_no=case.applicant_id_no,
        phone=case.applicant_phone, address=case.applicant_address, legal_rep=case.legal_rep,
        proxy_name=str(proxy.get("name", "") or ""), proxy_id_no=str(proxy.get("id_no", "") or ""),
        proxy_phone=str(proxy.get("phone", "") or ""),
    )
    rows = session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id)
                          .order_by(CaseMaterial.id)).all()
    accepted = local_time(case.accepted_at, clock)
    assert accepted is not None
    reasons = tuple(str(r) for r in detail.get("reasons", ()) or () if r)
    refusal: dict[str, Any] = detail["refusal"] if isinstance(detail.get("refusal"), dict) else {}
    if settings is not None and settings.printing.query_url:
        hall = replace(hall, query_url=settings.printing.query_url)
    languages = papers_languages(session, case.hall_code, settings)
    return CaseDoc(
        bilingual=languages.bilingual, mongolian_first=languages.mongolian_first,
        matter_name_mn=str(snapshot.get("name_mn", "") or ""), department_mn=_department_mn(session, case, snapshot),
        case_no=case.case_no, hall=hall, applicant=applicant, matter_code=case.matter_code,
        matter_name=case.matter_name, department=case.department, decision=case.decision,
        accepted_at=accepted, materials=tuple(_material(r, snapshot, clock) for r in rows), state=case.state,
        matter_kind=str(snapshot.get("kind", "")), matter_basis=str(snapshot.get("basis", "")),
        promised_label=_limit_label(snapshot.get("promised")), legal_label=_limit_label(snapshot.get("legal")),
        promised_due=case.promised_due, legal_due=case.legal_due, supplement_due=case.supplement_due,
        provisional_years=tuple(int(y) for y in detail.get("provisional_years", ()) or ()),
        fee=str(snapshot.get("fee", "不收费") or "不收费"), result_name=str(snapshot.get("result_name", "")),
        delivery=case.delivery, mail_address=case.mail_address, tracking_no=case.tracking_no,
        window_number=case.window_number, clerk_name=clerk.name if clerk else "",
        clerk_phone=clerk.phone if clerk else "", reasons=reasons, notice=_notice(detail),
        competent_office=str(detail.get("competent_office", "") or ""),
        refusal_ground=str(refusal.get("text", "") or ""), refusal_basis=str(refusal.get("basis", "") or ""),
        received_at=_received_at(detail, clock), correction_due=case.correction_due, corrections=_corrections(detail),
        result=case.result,
        result_note=case.result_note, concluded_at=local_time(case.concluded_at, clock),
        handed_over_at=local_time(case.handed_over_at, clock), reprint=reprint,
        printed_at=clock.local_now().replace(tzinfo=None),
        events={e.kind: {**(e.detail or {}), "at": local_time(e.at, clock)} for e in case.events},
        time_notes=_time_notes(case),
    )


def papers_languages(session: Session, hall_code: str, settings: Settings | None) -> Languages:
    """The languages of the hall's papers: this PC's ``[language]`` over the hall's ``bilingual`` choice."""
    hall_bilingual = queue_common.hall_bilingual(session, hall_code)
    return languages_for(settings, hall_bilingual=hall_bilingual) if settings is not None else Languages(
        bilingual=hall_bilingual)


def _department_mn(session: Session, case: Case, snapshot: dict[str, Any]) -> str:
    """The office's Mongolian name from the catalog version the case was accepted under (the snapshot names the
    office by code; the version's header lists the offices)."""
    code = str(snapshot.get("department_code", "") or "")
    version = session.get(CatalogVersion, case.catalog_version_id) if code else None
    for dept in ((version.meta or {}).get("departments", ()) if version is not None else ()):
        if isinstance(dept, dict) and dept.get("code") == code:
            return str(dept.get("name_mn", "") or "")
    return ""


def _time_notes(case: Case) -> tuple[str, ...]:
    from app.cases.time_rules import deadlines_of
    from app.errors import CalendarError

    try:
        return tuple(deadlines_of(case).notes())
    except CalendarError as exc:
        return (exc.message,)


def ticket_doc(session: Session, *, hall_code: str, code: str, service_date: dt.date, clock: HallClock,
               notice: str = "", category_names: dict[str, str] | None = None,
               settings: Settings | None = None, notice_mn: str = "") -> TicketDoc:
    """The ticket ``code`` (e.g. A012) issued on ``service_date``; counts the people still waiting before it."""
    text = code.strip().upper()
    ticket = session.scalars(select(Ticket).where(
        Ticket.hall_code == hall_code, Ticket.service_date == service_date, Ticket.code == text)).one_or_none()
    if ticket is None:
        raise NotFound(f"{service_date.isoformat()} 没有号票 {text}（大厅 {hall_code}）", field="ticket")
    ahead = session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.hall_code == hall_code, Ticket.service_date == service_date, Ticket.category == ticket.category,
        Ticket.state == "waiting", Ticket.queued_at < ticket.queued_at, Ticket.id != ticket.id)) or 0
    names = category_names if category_names is not None else _category_names(session)
    hall = hall_doc(session, hall_code)
    issued = local_time(ticket.issued_at, clock)
    assert issued is not None
    languages = papers_languages(session, hall_code, settings)
    return TicketDoc(code=ticket.code, category=ticket.category, category_name=names.get(ticket.category, ""),
                     hall_code=hall_code, hall_name=hall.name, issued_at=issued, ahead=int(ahead),
                     priority=ticket.priority, notice=notice, appointment=ticket.appointment_id is not None,
                     category_name_mn=queue_common.catalog_category_names_mn(session).get(ticket.category, ""),
                     bilingual=languages.bilingual, mongolian_first=languages.mongolian_first,
                     notice_mn=notice_mn)


def _category_names(session: Session) -> dict[str, str]:
    try:
        from app.catalog.store import current_catalog
    except ImportError:  # a build without the catalog store still prints tickets, with the letter only
        return {}
    found = current_catalog(session)
    return dict(found[1].categories) if found else {}


def print_count(session: Session, case_no: str, doc: str) -> int:
    """How many times this document was printed for this case before (from the audit log)."""
    return int(session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.in_(("print.document", "print.reprint")), AuditEvent.target == f"{case_no}:{doc}")) or 0)


def record_print(session: Session, *, case_no: str, doc: str, actor: str, host: str, reprint: bool,
                 printer: str, at: dt.datetime, pages: int | None = None) -> None:
    """Audit one printed document at ``at``; a reprint (补打) is its own action so supervisors can count them."""
    session.add(AuditEvent(
        at=at, actor=actor, action="print.reprint" if reprint else "print.document", target=f"{case_no}:{doc}",
        host=host, detail={"case_no": case_no, "doc": doc, "title": DOCUMENTS.get(doc, doc), "printer": printer,
                           "pages": pages},
    ))


def record_printed(store: Store, *, case_no: str, doc: str, actor: str, host: str, reprint: bool,
                   printer: str, clock: HallClock, pages: int | None = None) -> None:
    """:func:`record_print` in a transaction of its own, committed here (the print dialog, after a job is sent)."""
    with store.write() as session:
        record_print(session, case_no=case_no, doc=doc, actor=actor, host=host, reprint=reprint, printer=printer,
                     at=clock.now(), pages=pages)
