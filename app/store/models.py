"""Typed SQLAlchemy 2.0 models of the counter's store (SQLite for a point, PostgreSQL for a hall).

Times are stored as timezone-aware UTC; dates (service day, deadlines) as local calendar dates.
After changing a model, regenerate the first migration with ``python -m app.store.regen`` (until 0.1 ships).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.clock import system_now
from app.store.crypto import SealedAuditJSON, SealedJSON, SealedText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BigInteger that is still SQLite's rowid alias (INTEGER PRIMARY KEY autoincrements there).
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _accepted_at(context: Any) -> dt.datetime:
    return context.get_current_parameters()["accepted_at"]


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, dt.datetime: DateTime(timezone=True)}  # noqa: RUF012


class Hall(Base):
    __tablename__ = "hall"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)  # e.g. division code of the 旗
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    consult_phone: Mapped[str] = mapped_column(String(40), default="")
    supervise_phone: Mapped[str] = mapped_column(String(40), default="")
    region_code: Mapped[str] = mapped_column(String(12), default="")
    level: Mapped[str] = mapped_column(String(20), default="county")  # county | township | village
    # Mongolian beside the Chinese on the hall's display, kiosk, rating screens and papers (app.language).
    bilingual: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Window(Base):
    __tablename__ = "window"
    __table_args__ = (UniqueConstraint("hall_code", "number"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("hall.code"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    # The name in Mongolian script for the hall display (issue 15); "" = none given.
    name_mn: Mapped[str] = mapped_column(String(120), default="", server_default="")
    categories: Mapped[list[Any]] = mapped_column(default=list)  # queue category letters it serves
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_reason: Mapped[str] = mapped_column(String(100), default="")
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)  # who sits there now
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)


class Clerk(Base):
    __tablename__ = "clerk"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("hall.code"))
    username: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(12), default="clerk")  # clerk | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(SealedText("clerk.phone", 40), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=system_now)


class CatalogVersion(Base):
    """One imported catalog file set; cases point at the version they were accepted under."""

    __tablename__ = "catalog_version"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    issued: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(default=system_now)
    current: Mapped[bool] = mapped_column(Boolean, default=False)
    # Catalog-level data the matter rows do not carry: queue categories and departments (see app.catalog.store).
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MatterRow(Base):
    __tablename__ = "matter"
    __table_args__ = (UniqueConstraint("catalog_version_id", "code"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    catalog_version_id: Mapped[int] = mapped_column(ForeignKey("catalog_version.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column()  # the matter as in the catalog file (see app.catalog)


class Case(Base):
    """An accepted (or refused) application: 办件."""

    __tablename__ = "case"
    __table_args__ = (
        Index("ix_case_accepted_at", "accepted_at"),
        Index("ix_case_applicant_id_index", "applicant_id_index"),
        Index("ix_case_applicant_name", "applicant_name"),
        Index("ix_case_state", "state"),
        # Reports (app.reports) select a day's cases, the cases concluded and the supplements due in a range.
        Index("ix_case_service_date", "service_date"),
        Index("ix_case_concluded_at", "concluded_at"),
        Index("ix_case_supplement_due", "supplement_due"),
        Index("ix_case_state_supplement_due", "state", "supplement_due"),  # overdue supplements
        Index("ix_case_state_correction_due", "state", "correction_due"),  # 补正告知 still open
        Index("ix_case_bundle_id", "bundle_id"),  # 一件事一次办: the cases of one intake
        Index("ix_case_handed_over_at", "handed_over_at"),  # 政务专递 results mailed in a range (the report)
    )
    __blind_indexes__: ClassVar[dict[str, str]] = {"applicant_id_index": "applicant_id_no"}
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)  # 受理编号
    hall_code: Mapped[str] = mapped_column(ForeignKey("hall.code"))
    window_number: Mapped[int] = mapped_column(Integer)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    catalog_version_id: Mapped[int] = mapped_column(ForeignKey("catalog_version.id"))
    matter_code: Mapped[str] = mapped_column(String(40))
    matter_name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(100))
    matter_snapshot: Mapped[dict[str, Any]] = mapped_column()  # the matter as it was when accepted
    applicant_kind: Mapped[str] = mapped_column(String(12), default="person")  # person | organisation
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_id_kind: Mapped[str] = mapped_column(String(20))  # resident | hmt_permit | foreign_pr | credit_code
    # Sealed at rest (app.store.crypto); looked up by the blind index, filled in on flush.
    applicant_id_no: Mapped[str] = mapped_column(SealedText("case.applicant_id_no", 32))
    applicant_id_index: Mapped[str] = mapped_column(String(64), default="", server_default="")
    applicant_phone: Mapped[str] = mapped_column(SealedText("case.applicant_phone", 40), default="")
    applicant_address: Mapped[str] = mapped_column(String(300), default="")
    legal_rep: Mapped[str] = mapped_column(String(60), default="")
    proxy: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON("case.proxy"), nullable=True)  # 帮办代办: name, id_no, phone
    decision: Mapped[str] = mapped_column(String(12))  # normal | deferred | pledge | supplement | refused
    decision_detail: Mapped[dict[str, Any]] = mapped_column(default=dict)  # reasons, one-time notice
    state: Mapped[str] = mapped_column(String(24))
    scope: Mapped[str] = mapped_column(String(20), default="local")
    target_region: Mapped[str] = mapped_column(String(12), default="")  # 通办: the region that decides
    accepted_at: Mapped[dt.datetime] = mapped_column()
    service_date: Mapped[dt.date] = mapped_column(Date)
    promised_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    legal_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    supplement_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # 补正告知: the last workday of §32's five-day notice period (from the day the papers were received).
    correction_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    delivery: Mapped[str] = mapped_column(String(12), default="pickup")
    mail_address: Mapped[str] = mapped_column(String(300), default="")
    tracking_no: Mapped[str] = mapped_column(String(40), default="")
    result: Mapped[str] = mapped_column(String(12), default="")  # approved | refused
    result_note: Mapped[str] = mapped_column(Text, default="")
    concluded_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    handed_over_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    flagged: Mapped[str] = mapped_column(String(40), default="")  # e.g. supplement_overdue
    source: Mapped[str] = mapped_column(String(12), default="counter")  # counter | paper (补录) | demo
    # 一件事一次办: the intake's id, shared by its cases (app.cases.bundle); the bundle's code and name are in
    # decision_detail["bundle"]. None for a case taken in on its own.
    bundle_id: Mapped[str | None] = mapped_column(String(36), nullable=True, default=None)
    # Issue 18 (app.cases.outreach): 延时服务 (accepted outside the hall's opening hours), 上门服务 (place, time,
    # staff) and 政务专递 in (materials received by post: tracking number, sender, received date).
    after_hours: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    home_visit: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    post_in: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Last change; a new case was last changed when it was accepted (lifecycle transitions set it).
    updated_at: Mapped[dt.datetime] = mapped_column(default=_accepted_at)

    materials: Mapped[list[CaseMaterial]] = relationship(back_populates="case", cascade="all, delete-orphan")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(back_populates="case", cascade="all, delete-orphan")


class CaseMaterial(Base):
    __tablename__ = "case_material"
    __table_args__ = (UniqueConstraint("case_id", "key"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    core: Mapped[bool] = mapped_column(Boolean, default=False)
    copies: Mapped[int] = mapped_column(Integer, default=1)
    form: Mapped[str] = mapped_column(String(20), default="original")
    state: Mapped[str] = mapped_column(String(12))  # original | copy | e_license | deferred | pledge | missing
    due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    supplied_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    case: Mapped[Case] = relationship(back_populates="materials")


class Attachment(Base):
    __tablename__ = "attachment"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    material_key: Mapped[str] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(400))  # relative to the data directory's files/
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(60), default="image/jpeg")
    created_at: Mapped[dt.datetime] = mapped_column()
    case: Mapped[Case] = relationship(back_populates="attachments")


class CaseEvent(Base):
    __tablename__ = "case_event"
    # Reports count a range's events of one kind (延期, 暂停计时, 退回补正): without it every report scans the cases.
    __table_args__ = (Index("ix_case_event_kind_at", "kind", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # accept, supplement, forward, approve, refuse, ...
    from_state: Mapped[str] = mapped_column(String(24), default="")
    to_state: Mapped[str] = mapped_column(String(24), default="")
    actor: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[dt.datetime] = mapped_column()
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    case: Mapped[Case] = relationship(back_populates="events")


class HelpRecord(Base):
    """帮办代办 help record (app.assist): a clerk (or hall helper) helped an applicant with one matter — assisted
    (帮办: filled forms, guided) or done fully on the applicant's behalf (代办, with the 委托 details the intake
    captured on the case). Counted in the daily report and sent to the hub as ``help.record``."""

    __tablename__ = "help_record"
    __table_args__ = (Index("ix_help_record_service_date", "service_date"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    hall_code: Mapped[str] = mapped_column(ForeignKey("hall.code"))
    service_date: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column()
    window_number: Mapped[int] = mapped_column(Integer, default=0)
    clerk_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # who recorded it
    helper: Mapped[str] = mapped_column(String(60))  # who helped (a clerk's or a 帮办员's name)
    mode: Mapped[str] = mapped_column(String(12))  # assisted (帮办) | on_behalf (代办)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case.id"), nullable=True, index=True)
    case_no: Mapped[str] = mapped_column(String(32), default="")
    matter_code: Mapped[str] = mapped_column(String(40), default="")
    matter_name: Mapped[str] = mapped_column(String(200))
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    agent: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON("help_record.agent"), nullable=True)  # 代办: the case's proxy record (sealed)
    note: Mapped[str] = mapped_column(Text, default="")


class Appointment(Base):
    """预约: a booked time window, checked in at the kiosk by code or ID number."""

    __tablename__ = "appointment"
    __table_args__ = (
        Index("ix_appointment_service_date", "service_date"),  # reports: appointments kept
        Index("ix_appointment_slot", "hall_code", "service_date", "category", "start"),  # per-slot capacity
    )
    __blind_indexes__: ClassVar[dict[str, str]] = {"id_index": "id_no"}
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("hall.code"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    category: Mapped[str] = mapped_column(String(4))
    id_no: Mapped[str] = mapped_column(SealedText("appointment.id_no", 32), default="")
    id_index: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(SealedText("appointment.phone", 40), default="")
    matter_code: Mapped[str] = mapped_column(String(40), default="")
    service_date: Mapped[dt.date] = mapped_column(Date)
    start: Mapped[dt.datetime] = mapped_column()
    end: Mapped[dt.datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(12), default="booked")  # booked | checked_in | missed | cancelled
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    source: Mapped[str] = mapped_column(String(12), default="counter")  # counter | phone | import
    booked_by: Mapped[str] = mapped_column(String(60), default="")  # the clerk, or the import file's name
    booked_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class Ticket(Base):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("hall_code", "service_date", "code"),
        Index("ix_ticket_waiting", "hall_code", "service_date", "state", "category"),
        Index("ix_ticket_service_date", "service_date"),  # reports over every hall of a store
        # A window's held ticket and the tickets transferred to it (queue: keeps call-next fast).
        Index("ix_ticket_window", "hall_code", "service_date", "window_number", "state"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("hall.code"))
    service_date: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(4))
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(12))  # e.g. A012
    priority: Mapped[str] = mapped_column(String(12), default="")  # "" | elder | disabled | military | pregnant
    # 绿色通道 reason printed on the ticket and counted (e.g. 老年人（72 岁）); set for "weight" rules too.
    priority_reason: Mapped[str] = mapped_column(String(60), default="")
    appointment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # issuing (not yet printed) | waiting | called | serving | done | skipped | void
    state: Mapped[str] = mapped_column(String(12), default="issuing")
    window_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    clerk_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    queued_at: Mapped[dt.datetime] = mapped_column()  # ordering key; kept on transfer
    issued_at: Mapped[dt.datetime] = mapped_column()
    called_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    skip_count: Mapped[int] = mapped_column(Integer, default=0)
    transferred_from: Mapped[int | None] = mapped_column(Integer, nullable=True)  # window number
    id_no: Mapped[str] = mapped_column(SealedText("ticket.id_no", 32), default="")  # from appointment check-in; never displayed
    name: Mapped[str] = mapped_column(String(60), default="")  # shown masked only


class TicketEvent(Base):
    __tablename__ = "ticket_event"
    # A ticket's events by kind, with their instants in the index itself: the reports' first call / print /
    # transfer per ticket are read from the index alone (it also serves every look-up by ticket).
    __table_args__ = (Index("ix_ticket_event_at", "at"),
                      Index("ix_ticket_event_ticket_kind_at", "ticket_id", "kind", "at"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"))
    kind: Mapped[str] = mapped_column(String(12))  # issue, print, void, call, recall, skip, transfer, start, finish
    window_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    clerk_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)  # idempotent calls
    at: Mapped[dt.datetime] = mapped_column()
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Rating(Base):
    """好差评: one rating per case or served ticket (一次一评)."""

    __tablename__ = "rating"
    __table_args__ = (Index("ix_rating_at", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("hall.code"))
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case.id"), unique=True, nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), unique=True, nullable=True)
    window_number: Mapped[int] = mapped_column(Integer)
    clerk_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    level: Mapped[int] = mapped_column(Integer)  # 5 非常满意 … 1 非常不满意
    overall: Mapped[int] = mapped_column(Integer)
    efficiency: Mapped[int] = mapped_column(Integer)
    service: Mapped[int] = mapped_column(Integer)
    attitude: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column()
    follow_up_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    follow_up_state: Mapped[str] = mapped_column(String(12), default="")  # "" | open | done
    follow_up_note: Mapped[str] = mapped_column(Text, default="")
    follow_up_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    follow_up_by: Mapped[str] = mapped_column(String(60), default="")


class RatingRequest(Base):
    """"Please rate case X": the clerk's screen asks, the applicant-facing rating screen of that window answers.

    The clerk never sees the value; the row only records that a rating was asked for and whether it came.
    """

    __tablename__ = "rating_request"
    __table_args__ = (Index("ix_rating_request_window", "hall_code", "window_number", "state"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("hall.code"))
    window_number: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case.id"), nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    requested_by: Mapped[str] = mapped_column(String(60), default="")
    requested_at: Mapped[dt.datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending | rated | declined | superseded
    closed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("rating.id"), nullable=True)


class Outbox(Base):
    """Transactional outbox: written in the same transaction as the business row, relayed to the hub."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)
    seq: Mapped[int] = mapped_column(BigId, primary_key=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)  # Idempotency-Key
    kind: Mapped[str] = mapped_column(String(24))  # case.accept | case.update | rating | ...
    case_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(SealedJSON("outbox.payload"))  # sent in clear over TLS
    sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending|inflight|done|rejected|parked
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column()
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column()
    sent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class UploadState(Base):
    """A resumable (tus) upload in progress, so a restart continues at the hub's offset."""

    __tablename__ = "upload_state"
    attachment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    upload_url: Mapped[str] = mapped_column(String(400))
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    size: Mapped[int] = mapped_column(BigInteger)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(default=system_now, onupdate=system_now)


class SyncCursor(Base):
    __tablename__ = "sync_cursor"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)  # e.g. changes
    cursor: Mapped[str] = mapped_column(String(100), default="")
    last_success_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=system_now, onupdate=system_now)


class ExcludedApplicant(Base):
    """Applicants who may not use 容缺 or 告知承诺 (失信 / earlier false pledge)."""

    __tablename__ = "excluded_applicant"
    __blind_indexes__: ClassVar[dict[str, str]] = {"id_index": "id_no"}
    # The blind index of the number is the key (one row per number); the number itself is sealed.
    id_index: Mapped[str] = mapped_column(String(64), primary_key=True)
    id_no: Mapped[str] = mapped_column(SealedText("excluded_applicant.id_no", 32))
    reason: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(40), default="local")  # local | hub
    updated_at: Mapped[dt.datetime] = mapped_column()
    # Added in 0003: who the number is (a person's ID or an organisation's 统一社会信用代码), why and how long.
    id_kind: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(20), default="")  # "" (失信, given) | false_pledge
    listed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # last day barred; None = until removed
    case_no: Mapped[str] = mapped_column(String(32), default="")  # the case whose false pledge listed it


class PledgeCheck(Base):
    """事中事后核查 of one pledged material of a case (告知承诺): method, deadline, and the finding."""

    __tablename__ = "pledge_check"
    __table_args__ = (UniqueConstraint("case_id", "material_key"), Index("ix_pledge_check_state_due", "state", "due"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    material_key: Mapped[str] = mapped_column(String(60))
    material_name: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(12))  # data | site | document (数据核验 / 现场核查 / 材料核查)
    due: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="open")  # open | true (属实) | false (不实)
    note: Mapped[str] = mapped_column(Text, default="")
    checked_by: Mapped[str] = mapped_column(String(60), default="")
    checked_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column()


class CreditRecord(Base):
    """A credit record (信用记录) the counter made: a 容缺 supplement that lapsed, or a pledge found untrue."""

    __tablename__ = "credit_record"
    __table_args__ = (Index("ix_credit_record_id_index", "id_index"),)
    __blind_indexes__: ClassVar[dict[str, str]] = {"id_index": "id_no"}
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    id_no: Mapped[str] = mapped_column(SealedText("credit_record.id_no", 32))
    id_index: Mapped[str] = mapped_column(String(64), default="", server_default="")
    id_kind: Mapped[str] = mapped_column(String(20), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))  # supplement_lapse | false_pledge
    case_no: Mapped[str] = mapped_column(String(32))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column()


class Counter(Base):
    """Named sequences (ticket numbers per day and category, case numbers per window and day)."""

    __tablename__ = "counter"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(60), default="")
    action: Mapped[str] = mapped_column(String(40))  # login.ok, login.fail, case.accept, print.reprint, ...
    target: Mapped[str] = mapped_column(String(80), default="")
    host: Mapped[str] = mapped_column(String(80), default="")
    # Sealed as a whole (it may name ID numbers); the chain hashes the clear value, so verify is unchanged.
    detail: Mapped[dict[str, Any]] = mapped_column(SealedAuditJSON("audit_event.detail"), default=dict)
    # The hash chain (app.store.audit_chain, filled in on flush): the previous entry's hash and this one's.
    prev_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class DataKey(Base):
    """Which data key this store's sealed values and blind indexes belong to (app.store.crypto): one row.

    ``probe`` is a known text sealed with the key, so a missing or wrong key file is named at open, before
    anything is read or written; ``index_key_id`` is the key generation the blind indexes were computed with."""

    __tablename__ = "data_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    probe: Mapped[str] = mapped_column(Text)
    index_key_id: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(default=system_now, onupdate=system_now)
