"""What a clerk submits for acceptance (the request dataclasses) and its validation at the edge.

Every check names the field and the reason in Chinese, and runs before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Literal

from app.cases.outreach import HomeVisitInput, PostInInput
from app.catalog.model import Matter
from app.checklist import MATERIAL_STATES, MaterialState, RefusalChoice
from app.errors import ValidationError
from app.store.models import Attachment, AuditEvent, Case, CaseMaterial, Hall
from app.vocabulary import SCOPE_LABELS

MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024  # a 600 dpi colour A4 JPEG is well under this


@dataclass(frozen=True)
class ApplicantInput:
    name: str
    id_no: str
    kind: Literal["person", "organisation"] = "person"
    phone: str = ""
    address: str = ""
    legal_rep: str = ""  # 法定代表人, organisations only


@dataclass(frozen=True)
class ProxyInput:
    """帮办代办: the person standing at the window for the applicant."""

    name: str
    id_no: str
    phone: str = ""


@dataclass(frozen=True)
class AttachmentInput:
    filename: str
    data: bytes
    mime: str = "image/jpeg"


@dataclass(frozen=True)
class MaterialInput:
    key: str
    state: MaterialState
    files: tuple[AttachmentInput, ...] = ()


@dataclass(frozen=True)
class CorrectionInput:
    """当场更正 (行政许可法 §32(3)): a small error on the papers corrected at the window and initialled by the
    applicant (or the agent), e.g. 申请表"联系电话" 1380000000 → 13800000000."""

    item: str  # which field of which paper
    after: str  # as corrected
    before: str = ""  # as written
    initialled: bool = False  # the applicant signed or fingerprinted the correction


@dataclass(frozen=True)
class AcceptRequest:
    request_id: str  # client-generated UUID: the same id returns the same case
    hall_code: str
    window_number: int
    matter_code: str
    applicant: ApplicantInput
    materials: tuple[MaterialInput, ...]
    actor: str = ""  # the clerk's username
    clerk_id: int | None = None
    proxy: ProxyInput | None = None
    ticket_id: int | None = None
    accepted_at: dt.datetime | None = None  # None: now; set for 补录 of paper cases
    delivery: Literal["pickup", "mail", "online"] = "pickup"
    mail_address: str = ""
    scope: Literal["local", "region_wide", "cross_province"] = "local"
    target_region: str = ""  # 通办: the division code of the region that decides
    source: Literal["counter", "paper", "demo"] = "counter"
    host: str = ""
    refusal: RefusalChoice | None = None  # 不予受理 on this ground (else the materials decide)
    corrections: tuple[CorrectionInput, ...] = ()  # 当场更正
    review: bool = False  # 收件后审查: take the papers in, tell what to 补正 within five working days (app.cases.review)
    hall_level: str = "county"  # county / township / village (setting hall.level; app.cases.levels)
    # 延时服务: the hall's opening hours (setting hall.opening_hours; "" = not flagged from the clock) and the
    # clerk's own mark (a booked after-hours visit); 上门服务; 政务专递 in (app.cases.outreach).
    opening_hours: str = ""
    after_hours: bool = False
    home_visit: HomeVisitInput | None = None
    post_in: PostInInput | None = None

    @property
    def states(self) -> dict[str, MaterialState]:
        return {m.key: m.state for m in self.materials}


def check_applicant(applicant: ApplicantInput, proxy: ProxyInput | None, *,
                    today: dt.date) -> tuple[str, str, str | None]:
    """(normalised id number, id kind, proxy id number) or ValidationError naming the field; ``today`` is the
    hall's day of the application (no birth date after it)."""
    from app.identity import PERSON_ID_KINDS, check_id

    if not applicant.name.strip():
        raise ValidationError("请填写申请人姓名或单位名称", field="applicant_name")
    if applicant.kind not in ("person", "organisation"):
        raise ValidationError(f"申请人类型应为 person 或 organisation，得到 {applicant.kind!r}",
                              field="applicant_kind")
    checked = check_id(applicant.id_no, today=today)
    if not checked.valid:
        reason = checked.errors[0] if checked.errors else "号码无效"
        raise ValidationError(f"申请人证件号码有误：{reason}", field="applicant_id_no")
    if applicant.kind == "organisation" and checked.kind != "credit_code":
        raise ValidationError("单位申请人须填写 18 位统一社会信用代码", field="applicant_id_no")
    if applicant.kind == "person" and checked.kind not in PERSON_ID_KINDS:
        raise ValidationError("个人申请人须填写身份证、港澳台居民居住证或外国人永久居留身份证号码",
                              field="applicant_id_no")
    if applicant.kind == "organisation" and not applicant.legal_rep.strip():
        raise ValidationError("单位申请人须填写法定代表人", field="legal_rep")
    proxy_no: str | None = None
    if proxy is not None:
        if not proxy.name.strip():
            raise ValidationError("请填写代办人姓名", field="proxy_name")
        pchecked = check_id(proxy.id_no, today=today)
        if not pchecked.valid or pchecked.kind not in PERSON_ID_KINDS:
            reason = pchecked.errors[0] if pchecked.errors else "须为个人证件号码"
            raise ValidationError(f"代办人证件号码有误：{reason}", field="proxy_id_no")
        proxy_no = pchecked.normalized
        if proxy_no == checked.normalized:
            raise ValidationError("代办人与申请人是同一人，无需登记代办", field="proxy_id_no")
    return checked.normalized, checked.kind, proxy_no


def _width(column: object) -> int:
    length = getattr(getattr(column, "type", None), "length", None)
    assert isinstance(length, int), column
    return length


# The one statement of how long each text a case carries may be: the store's column widths (SQLite would keep a
# 100,000-character name; PostgreSQL would refuse it at commit). field → (label, limit). The 代办人 fields are kept
# in the case's ``proxy`` JSON and take the applicant's widths. Used by the counter's accept and by 补录 import.
TEXT_LIMITS: dict[str, tuple[str, int]] = {
    "hall_code": ("大厅编码", _width(Hall.__table__.c.code)),
    "matter_code": ("事项编码", _width(Case.__table__.c.matter_code)),
    "applicant_name": ("申请人姓名或单位名称", _width(Case.__table__.c.applicant_name)),
    "applicant_id_no": ("申请人证件号码", _width(Case.__table__.c.applicant_id_no)),
    "applicant_phone": ("申请人联系电话", _width(Case.__table__.c.applicant_phone)),
    "applicant_address": ("申请人地址", _width(Case.__table__.c.applicant_address)),
    "legal_rep": ("法定代表人", _width(Case.__table__.c.legal_rep)),
    "proxy_name": ("代办人姓名", _width(Case.__table__.c.legal_rep)),
    "proxy_id_no": ("代办人证件号码", _width(Case.__table__.c.applicant_id_no)),
    "proxy_phone": ("代办人联系电话", _width(Case.__table__.c.applicant_phone)),
    "mail_address": ("邮寄地址", _width(Case.__table__.c.mail_address)),
    "target_region": ("办理地区", _width(Case.__table__.c.target_region)),
    "actor": ("受理人", _width(AuditEvent.__table__.c.actor)),
    "host": ("计算机名", _width(AuditEvent.__table__.c.host)),
    "material_key": ("材料键", _width(CaseMaterial.__table__.c.key)),
    "filename": ("附件文件名", _width(Attachment.__table__.c.filename)),
    "mime": ("附件类型", _width(Attachment.__table__.c.mime)),
    "refusal_ground": ("不予受理理由", _width(CaseMaterial.__table__.c.key)),
    "competent_authority": ("有权机关", _width(Case.__table__.c.applicant_name)),
}


def check_length(field: str, value: str) -> None:
    """ValidationError naming the field when ``value`` is longer than :data:`TEXT_LIMITS` allows."""
    label, limit = TEXT_LIMITS[field]
    if len(value) > limit:
        raise ValidationError(f"{label}过长：{len(value)} 字，上限 {limit} 字，请核对后重新填写", field=field)


def check_lengths(request: AcceptRequest) -> None:
    a, p = request.applicant, request.proxy
    values = {"hall_code": request.hall_code, "matter_code": request.matter_code, "applicant_name": a.name,
              "applicant_id_no": a.id_no, "applicant_phone": a.phone, "applicant_address": a.address,
              "legal_rep": a.legal_rep, "mail_address": request.mail_address, "target_region": request.target_region,
              "actor": request.actor, "host": request.host}
    if p is not None:
        values.update(proxy_name=p.name, proxy_id_no=p.id_no, proxy_phone=p.phone)
    if request.refusal is not None:
        values.update(refusal_ground=request.refusal.ground,
                      competent_authority=request.refusal.competent_authority)
    for field, value in values.items():
        check_length(field, value)
    for item in request.materials:
        check_length("material_key", item.key)
        for f in item.files:
            check_length("filename", f.filename)
            check_length("mime", f.mime)


def check_request(request: AcceptRequest) -> None:
    check_lengths(request)
    try:
        uuid.UUID(request.request_id)
    except (ValueError, AttributeError, TypeError):
        raise ValidationError(f"请求编号应为 UUID，得到 {request.request_id!r}", field="request_id") from None
    seen: set[str] = set()
    for item in request.materials:
        if item.key in seen:
            raise ValidationError(f"材料 {item.key} 重复出现", field=item.key)
        seen.add(item.key)
        if item.state not in MATERIAL_STATES:
            raise ValidationError(f"材料 {item.key} 的状态 {item.state!r} 无效；可用：{', '.join(MATERIAL_STATES)}",
                                  field=item.key)
        for f in item.files:
            if not f.data:
                raise ValidationError(f"材料 {item.key} 的附件 {f.filename} 是空文件", field=item.key)
            if len(f.data) > MAX_ATTACHMENT_BYTES:
                raise ValidationError(f"材料 {item.key} 的附件 {f.filename} 超过 30 MB", field=item.key)
    if request.delivery not in ("pickup", "mail", "online"):
        raise ValidationError(f"领取方式无效：{request.delivery!r}", field="delivery")
    if request.delivery == "mail" and len(request.mail_address.strip()) < 6:
        raise ValidationError("选择政务专递须填写完整的邮寄地址", field="mail_address")
    if request.accepted_at is not None and request.accepted_at.tzinfo is None:
        raise ValidationError("受理时间必须带时区", field="accepted_at")
    if request.source not in ("counter", "paper", "demo"):
        raise ValidationError(f"来源无效：{request.source!r}", field="source")
    check_corrections(request.corrections)


def check_corrections(corrections: tuple[CorrectionInput, ...]) -> None:
    for c in corrections:
        if not c.item.strip() or not c.after.strip():
            raise ValidationError("当场更正须写明更正的项目和更正后的内容", field="corrections")
        if len(c.item) > 100 or len(c.after) > 200 or len(c.before) > 200:
            raise ValidationError("当场更正的内容过长（项目 100 字、内容 200 字以内）", field="corrections")
        if not c.initialled:
            raise ValidationError(f"当场更正\"{c.item.strip()}\"须经申请人签名或按指印确认", field="corrections")


def check_scope(request: AcceptRequest, matter: Matter) -> None:
    """通办: a case taken here for another region must be allowed by the matter and name that region."""
    if request.scope == "local":
        if request.target_region:
            raise ValidationError("本地办理的办件不填写办理地区", field="target_region")
        return
    if request.scope not in ("region_wide", "cross_province"):
        raise ValidationError(f"通办范围无效：{request.scope!r}", field="scope")
    allowed = {"local": (), "region_wide": ("region_wide",), "cross_province": ("region_wide", "cross_province")}
    if request.scope not in allowed.get(matter.scope, ()):
        raise ValidationError(f"事项\"{matter.name}\"不支持{SCOPE_LABELS[request.scope]}", field="scope")
    if not re.fullmatch(r"\d{6}", request.target_region):
        raise ValidationError("通办须填写办理地的 6 位行政区划代码", field="target_region")
    if request.target_region == request.hall_code:
        raise ValidationError("办理地与本大厅相同，应选本地办理", field="target_region")
