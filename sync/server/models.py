"""The hub's own tables (separate metadata and migrations from the counter client's store).

Every id a client generates (case UUID, Idempotency-Key) is unique here forever, so a replay is a no-op.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.clock import system_now
from app.store.crypto import SealedJSON, SealedText
from app.store.models import NAMING, BigId


class HubBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dict[str, Any]: JSON, list[Any]: JSON, dt.datetime: DateTime(timezone=True)}


class Device(HubBase):
    """A counter PC (or hall) allowed to talk to the hub; only a SHA-256 of its token is kept.

    ``hall_code`` binds the device to its hall: cases for any other hall are refused (403). Empty = not bound yet;
    the first case the hub accepts from it binds it (``device add --hall`` binds it from the start).
    """

    __tablename__ = "hub_device"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hall_code: Mapped[str] = mapped_column(String(12), default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=system_now)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class Upload(HubBase):
    """A tus upload: bytes live in the file store (``<files>/uploads/<id>``, or an S3 object); ``offset`` is
    committed only once they are durable, together with the back end's ``storage`` state (S3: the multipart
    upload's id, its parts' ETags, the staged chunks; see ``sync.server.filestore``)."""

    __tablename__ = "hub_upload"
    __table_args__ = (Index("ix_hub_upload_pending", "device_id", "attached"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[int] = mapped_column(Integer, index=True)
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)  # Upload-Metadata, decoded
    attachment_id: Mapped[str] = mapped_column(String(36), default="", index=True)
    sha256: Mapped[str] = mapped_column(String(64), default="")  # of the stored bytes, once complete
    created_at: Mapped[dt.datetime] = mapped_column(default=system_now)
    completed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    storage: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")  # added in 0004
    # A received case names it (set in the transaction that adds its hub_case_file row; added in 0008): the
    # quota sums only the rows still False.
    attached: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class HubCase(HubBase):
    """A received case. ``id`` is the client's case UUID: unique forever."""

    __tablename__ = "hub_case"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), index=True)
    op_id: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[int] = mapped_column(Integer)
    hall_code: Mapped[str] = mapped_column(String(12), default="")
    matter_code: Mapped[str] = mapped_column(String(40), default="")
    matter_name: Mapped[str] = mapped_column(String(200), default="")
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    bundle_id: Mapped[str] = mapped_column(String(36), default="", index=True)  # 一件事一次办 intake, "" if none
    # Sealed with the hub's own key (app.store.crypto): the counter sends it in clear over TLS.
    payload: Mapped[dict[str, Any]] = mapped_column(SealedJSON("hub_case.payload"))
    sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(24), default="accepted")
    result: Mapped[str] = mapped_column(String(12), default="")
    result_note: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime] = mapped_column(default=system_now)
    result_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class HubCaseFile(HubBase):
    __tablename__ = "hub_case_file"
    attachment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    upload_id: Mapped[str] = mapped_column(String(36), index=True)  # the quota and the sweep ask "named by a case?"
    material_key: Mapped[str] = mapped_column(String(60), default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(60), default="")


class Operation(HubBase):
    """Every Idempotency-Key ever accepted, with the answer it got (a replay returns the same answer)."""

    __tablename__ = "hub_operation"
    op_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column()
    received_at: Mapped[dt.datetime] = mapped_column(default=system_now)


class Change(HubBase):
    """The change feed. ``seq`` is the cursor; writers serialise (see ``hubdb.publish``) so it grows in commit order.

    ``device_id`` None = for every device (catalog, calendar, excluded list); else only for the device that sent
    the case.
    """

    __tablename__ = "hub_change"
    __table_args__ = (Index("ix_hub_change_device", "device_id", "seq"),)
    seq: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # case.result | catalog | calendar | excluded
    device_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(SealedJSON("hub_change.data"))  # the excluded list names IDs
    created_at: Mapped[dt.datetime] = mapped_column(default=system_now)


class AuditAnchor(HubBase):
    """A counter's audit-chain head as it sent it (``audit.anchor`` items): entry ``count`` had hash ``head``. The
    counter's own store cannot prove it was not cut short; these rows, out of its reach, can."""

    __tablename__ = "hub_audit_anchor"
    __table_args__ = (Index("ix_hub_audit_anchor_device", "device_id", "count"),)
    op_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(BigInteger)
    head: Mapped[str] = mapped_column(String(64))
    anchored_at: Mapped[str] = mapped_column(String(40), default="")  # the counter's hall-clock instant, as sent
    received_at: Mapped[dt.datetime] = mapped_column(default=system_now)


class HubHelpRecord(HubBase):
    """A 帮办代办 help record a counter sent (``help.record`` items, sync.server.assist): the county's help counts."""

    __tablename__ = "hub_help_record"
    __table_args__ = (Index("ix_hub_help_record_day", "service_date", "hall_code"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the counter's record UUID
    op_id: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[int] = mapped_column(Integer)
    hall_code: Mapped[str] = mapped_column(String(12))
    service_date: Mapped[dt.date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(12))  # assisted | on_behalf
    case_no: Mapped[str] = mapped_column(String(32), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(SealedJSON("hub_help_record.payload"))  # the agent's ID and phone
    sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(default=system_now)


class Enrolment(HubBase):
    """A one-time enrolment code made by an admin (``device enroll --hall``): only its SHA-256 is kept. A counter
    exchanges it once (``POST /v1/enrol``) for a device token bound to ``hall_code``; ``used_at`` then burns it."""

    __tablename__ = "hub_enrolment"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    hall_code: Mapped[str] = mapped_column(String(12))
    device_name: Mapped[str] = mapped_column(String(100), default="")  # "" = the name the counter asks for
    created_at: Mapped[dt.datetime] = mapped_column(default=system_now)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    device_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class HubRating(HubBase):
    """A 好差评 rating a counter sent (``rating`` items), once per Idempotency-Key; added in 0004. ``day`` is the
    hall day it was given on, as the counter's hall clock saw it; the clerk is not named, the window is."""

    __tablename__ = "hub_rating"
    __table_args__ = (Index("ix_hub_rating_day", "day", "hall_code"),)
    op_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[int] = mapped_column(Integer)
    hall_code: Mapped[str] = mapped_column(String(12))
    case_id: Mapped[str] = mapped_column(String(36), default="")
    case_no: Mapped[str] = mapped_column(String(32), default="")
    ticket_code: Mapped[str] = mapped_column(String(20), default="")
    window_number: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    overall: Mapped[int] = mapped_column(Integer)
    efficiency: Mapped[int] = mapped_column(Integer)
    service: Mapped[int] = mapped_column(Integer)
    attitude: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    day: Mapped[str] = mapped_column(String(10))
    rated_at: Mapped[str] = mapped_column(String(40), default="")
    follow_up_due: Mapped[str] = mapped_column(String(10), default="")
    received_at: Mapped[dt.datetime] = mapped_column(default=system_now)


class HubPledgeCheck(HubBase):
    """The finding of a 告知承诺 事中事后核查 (a ``check_result`` event of a case): one row per case and material;
    added in 0004."""

    __tablename__ = "hub_pledge_check"
    __table_args__ = (Index("ix_hub_pledge_check_day", "day", "hall_code"),)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    material_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    device_id: Mapped[int] = mapped_column(Integer)
    hall_code: Mapped[str] = mapped_column(String(12))
    case_no: Mapped[str] = mapped_column(String(32))
    material_name: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str] = mapped_column(String(12), default="")
    due: Mapped[str] = mapped_column(String(10), default="")
    state: Mapped[str] = mapped_column(String(12))  # true (属实) | false (不实)
    day: Mapped[str] = mapped_column(String(10))  # the hall day the finding was recorded
    op_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(default=system_now)


class HubFalsePledge(HubBase):
    """The county's false-pledge list: an applicant listed by a hall for a pledge found untrue (the ``listing`` of
    a ``revoke`` event); one row per number and case; added in 0004."""

    __tablename__ = "hub_false_pledge"
    # The number sealed with the hub's key and found by its blind index (app.store.crypto), as on the counter.
    __blind_indexes__: ClassVar[dict[str, str]] = {"id_index": "id_no"}
    id_index: Mapped[str] = mapped_column(String(64), primary_key=True)
    id_no: Mapped[str] = mapped_column(SealedText("hub_false_pledge.id_no", 32))
    case_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    id_kind: Mapped[str] = mapped_column(String(20), default="")
    hall_code: Mapped[str] = mapped_column(String(12))
    device_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200), default="")
    listed_on: Mapped[str] = mapped_column(String(10))
    until: Mapped[str] = mapped_column(String(10), default="")  # "" = until removed
    op_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(default=system_now)


class HubDataKey(HubBase):
    """Which key the hub's sealed values belong to (see ``app.store.models.DataKey``): one row."""

    __tablename__ = "hub_data_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    probe: Mapped[str] = mapped_column(Text)
    index_key_id: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(default=system_now, onupdate=system_now)
