"""帮办代办 help records: who helped whom with which matter, assisted (帮办) or done on the applicant's behalf (代办).

A hall counts these separately from cases (the seed county records 3,330 a year): a 帮办员 guiding an elder through
a form is service even when no case results. A record names the case when there is one; 代办 always has one, and
its agent is the 委托 the intake already captured (``case.proxy``), never typed twice. Each record is written with
its ``help.record`` outbox row in one transaction, so it reaches the hub exactly once (docs/reports.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.canonical import canonical_sha256
from app.clock import HallClock
from app.errors import NotFound, ValidationError
from app.store import Store
from app.store.models import AuditEvent, Case, HelpRecord, Outbox

HELP_KIND = "help.record"  # the outbox item kind (sync.server.service receives it)
HelpMode = Literal["assisted", "on_behalf"]
HELP_MODE_LABELS: dict[str, str] = {"assisted": "帮办（协助办理）", "on_behalf": "代办（受托全程代办）"}


@dataclass(frozen=True)
class HelpInput:
    """One help given, as the clerk records it (the dialog or ``help add``)."""

    hall_code: str
    helper: str  # who helped: a clerk's or a 帮办员's name
    mode: HelpMode
    case_no: str = ""  # the case it belongs to (required for 代办)
    matter_name: str = ""  # without a case: which matter was helped with
    matter_code: str = ""
    applicant_name: str = ""
    note: str = ""
    window_number: int = 0
    clerk_id: int | None = None
    actor: str = ""
    request_id: str = ""  # client-generated: the same id records once (a double click, a retry)


@dataclass(frozen=True)
class HelpView:
    id: str
    at: dt.datetime
    helper: str
    mode: str
    case_no: str
    matter_name: str
    applicant_name: str
    agent_name: str
    note: str

    @property
    def mode_label(self) -> str:
        return HELP_MODE_LABELS.get(self.mode, self.mode)


def _view(r: HelpRecord) -> HelpView:
    return HelpView(id=r.id, at=r.at, helper=r.helper, mode=r.mode, case_no=r.case_no, matter_name=r.matter_name,
                    applicant_name=r.applicant_name, agent_name=str((r.agent or {}).get("name", "")), note=r.note)


def help_payload(r: HelpRecord) -> dict[str, Any]:
    """The ``help.record`` outbox payload: the record as kept (no ID number of the agent beyond the case's)."""
    return {"id": r.id, "hall_code": r.hall_code, "service_date": r.service_date.isoformat(),
            "at": r.at.isoformat(), "window_number": r.window_number, "clerk_id": r.clerk_id, "helper": r.helper,
            "mode": r.mode, "case_id": r.case_id, "case_no": r.case_no, "matter_code": r.matter_code,
            "matter_name": r.matter_name, "applicant_name": r.applicant_name, "agent": r.agent, "note": r.note}


def _check(item: HelpInput) -> None:
    if item.mode not in HELP_MODE_LABELS:
        raise ValidationError("帮办方式应为“帮办”或“代办”", field="mode")
    if not item.helper.strip():
        raise ValidationError("请填写帮办人（谁提供的帮助）", field="helper")
    if len(item.helper.strip()) > 60:
        raise ValidationError("帮办人姓名不能超过 60 个字", field="helper")
    if len(item.note) > 500:
        raise ValidationError("备注不能超过 500 个字", field="note")
    if item.mode == "on_behalf" and not item.case_no.strip():
        raise ValidationError("代办须填写受理编号：代办的委托信息取自该办件", field="case_no")
    if not item.case_no.strip() and not item.matter_name.strip():
        raise ValidationError("请填写受理编号，或没有办件时填写所办事项", field="matter_name")
    if len(item.matter_name.strip()) > 200 or len(item.applicant_name.strip()) > 200:
        raise ValidationError("事项名称或申请人不能超过 200 个字", field="matter_name")


def record_help(store: Store, item: HelpInput, *, clock: HallClock) -> HelpView:
    """Keep one help record (and its outbox row); the same ``request_id`` returns the record already kept."""
    _check(item)
    at = clock.now().astimezone(dt.UTC)
    record_id = item.request_id or str(uuid.uuid4())
    with store.write() as session:
        done = session.get(HelpRecord, record_id)
        if done is not None:
            return _view(done)
        record = HelpRecord(id=record_id, hall_code=item.hall_code, service_date=clock.day_of(at), at=at,
                            window_number=item.window_number, clerk_id=item.clerk_id, helper=item.helper.strip(),
                            mode=item.mode, note=item.note.strip())
        _fill_matter(session, record, item)
        session.add(record)
        payload = help_payload(record)
        session.add(Outbox(op_id=str(uuid.uuid4()), kind=HELP_KIND, case_id=record.id, payload=payload,
                           sha256=canonical_sha256(payload), created_at=at, next_attempt_at=at))
        session.add(AuditEvent(at=at, actor=item.actor, action="help.record", target=record.case_no or record.id,
                               detail={"mode": item.mode, "helper": record.helper}))
        session.flush()
        return _view(record)


def _fill_matter(session: Session, record: HelpRecord, item: HelpInput) -> None:
    """Matter and applicant from the case when one is named (and for 代办 the agent from its 委托)."""
    no = item.case_no.replace(" ", "").strip()
    if not no:
        record.matter_name = item.matter_name.strip()
        record.matter_code = item.matter_code.strip()[:40]
        record.applicant_name = item.applicant_name.strip()
        return
    case = session.scalars(select(Case).where(Case.case_no == no)).one_or_none()
    if case is None:
        raise NotFound(f"没有受理编号为 {no} 的办件：请核对编号，或不填编号只填事项", field="case_no")
    if case.hall_code != item.hall_code:
        raise ValidationError(f"办件 {no} 不属于本大厅", field="case_no")
    proxy = case.proxy or {}
    if item.mode == "on_behalf" and not proxy.get("name"):
        raise ValidationError(f"办件 {no} 受理时未登记代办人及授权委托书：代办须在受理时登记委托信息；"
                              "仅协助申请人本人办理请选“帮办”", field="mode")
    record.case_id, record.case_no = case.id, case.case_no
    record.matter_code, record.matter_name = case.matter_code, case.matter_name
    record.applicant_name = case.applicant_name
    if item.mode == "on_behalf":
        record.agent = {k: proxy.get(k, "") for k in ("name", "id_no", "phone")}


def list_help(session: Session, *, hall_code: str | None, start: dt.date, end: dt.date) -> list[HelpView]:
    stmt = select(HelpRecord).where(HelpRecord.service_date.between(start, end)).order_by(HelpRecord.at)
    if hall_code:
        stmt = stmt.where(HelpRecord.hall_code == hall_code)
    return [_view(r) for r in session.scalars(stmt)]


__all__ = ["HELP_KIND", "HELP_MODE_LABELS", "HelpInput", "HelpView", "help_payload", "list_help", "record_help"]
