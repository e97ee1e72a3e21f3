"""The plain values documents and tickets are rendered from, decoupled from the store and the catalog files.

``printing.from_store`` builds them from database rows; tests and previews build them directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from app.case_no import DOCUMENT_QR_PREFIX, speak_case_no
from app.errors import ValidationError
from app.vocabulary import ID_KIND_LABELS

ApplicantKind = Literal["person", "organisation"]
MaterialStateName = Literal["original", "copy", "e_license", "deferred", "pledge", "defective", "missing"]

# How a material was received, as the 收件材料清单 names it (纸质/电子/电子证照/容缺/承诺).
STATE_FORM_LABELS: dict[str, str] = {
    "original": "纸质",
    "copy": "纸质",
    "e_license": "电子证照",
    "deferred": "容缺",
    "pledge": "承诺",
    "defective": "须补正",
    "missing": "未提交",
}
STATE_KIND_LABELS: dict[str, str] = {
    "original": "原件",
    "copy": "复印件",
    "e_license": "电子证照",
    "deferred": "—",
    "pledge": "—",
    "defective": "—",
    "missing": "—",
}


@dataclass(frozen=True)
class HallDoc:
    """The accepting office as printed in every header and signature block."""

    code: str
    name: str
    address: str = ""
    phone: str = ""
    consult_phone: str = ""
    supervise_phone: str = ""
    query_url: str = ""  # [printing] query_url: the phone link the documents' QR opens (document_qr_text)


@dataclass(frozen=True)
class ApplicantDoc:
    """申请人: a person (name, ID, address) or an organisation (name, legal representative, credit code)."""

    kind: ApplicantKind
    name: str
    id_kind: str
    id_no: str
    phone: str = ""
    address: str = ""
    legal_rep: str = ""  # organisations only
    contact: str = ""  # 联系人, when not the applicant
    proxy_name: str = ""  # 帮办代办 / 委托代理人
    proxy_id_no: str = ""
    proxy_phone: str = ""

    @property
    def id_label(self) -> str:
        return ID_KIND_LABELS.get(self.id_kind, "证件号码")

    @property
    def is_organisation(self) -> bool:
        return self.kind == "organisation"


@dataclass(frozen=True)
class PledgeDoc:
    """The terms of one 告知承诺书 (国办发〔2020〕42号), copied from the catalog when the case was accepted."""

    basis: str  # 设定依据
    content: str  # 证明内容
    text: str  # the applicant's promise about this condition
    verification: str  # 核查方式
    personal: bool = False  # signed in person only (代为承诺 not allowed)
    effect: str = "申请人作出承诺后，行政机关不再索要该证明材料，依据承诺办理相关事项。"
    liability: str = (
        "申请人作出不实承诺的，行政机关将依法撤销已作出的决定，将不实承诺记入信用记录，并依法追究法律责任。"
    )


@dataclass(frozen=True)
class MaterialLine:
    """One row of the 收件材料清单 and, where it applies, what is still owed for it."""

    key: str
    name: str
    state: MaterialStateName
    copies: int = 1
    form: str = "original"  # the catalog's required form: original | copy | original_and_copy | electronic
    core: bool = False
    due: dt.date | None = None  # 容缺 supply deadline
    supplied: bool = False  # a deferred material that has since arrived
    supplied_on: dt.date | None = None  # the hall day it arrived (补交回执)
    note: str = ""
    pledge: PledgeDoc | None = None

    @property
    def outstanding(self) -> bool:
        """Still owed by the applicant (deferred and not yet supplied, missing, or to be corrected)."""
        return (self.state == "deferred" and not self.supplied) or self.state in ("missing", "defective")


@dataclass(frozen=True)
class NoticeLine:
    """One line of the 一次性告知书 as the checklist decided it: a material still needed, once."""

    name: str
    copies: int = 1
    form: str = ""  # 原件 / 复印件 / 原件及复印件 …
    reason: str = ""  # 未提交 / 核心材料不能容缺 …
    options: str = ""  # 可容缺后补 / 可告知承诺 / 可用电子证照 …


@dataclass(frozen=True)
class CaseDoc:
    """Everything any case document prints. Dates are local calendar dates; ``accepted_at`` is local time."""

    case_no: str  # as stored: 19 digits, or 18 on a case accepted before the check digit
    hall: HallDoc
    applicant: ApplicantDoc
    matter_code: str
    matter_name: str
    department: str
    decision: str  # normal | deferred | pledge | supplement | refused
    accepted_at: dt.datetime
    materials: tuple[MaterialLine, ...] = ()
    state: str = "accepted"
    matter_kind: str = ""
    matter_basis: str = ""
    promised_label: str = ""  # e.g. 「5个工作日」
    legal_label: str = ""
    promised_due: dt.date | None = None
    legal_due: dt.date | None = None
    provisional_years: tuple[int, ...] = ()  # the due dates follow only the statutory holidays of these years
    supplement_due: dt.date | None = None
    fee: str = "不收费"
    result_name: str = ""
    delivery: str = "pickup"  # pickup | mail | online
    mail_address: str = ""
    tracking_no: str = ""
    window_number: int = 0
    clerk_name: str = ""
    clerk_phone: str = ""
    reasons: tuple[str, ...] = ()  # why the checklist decided as it did (refusal reasons among them)
    notice: tuple[NoticeLine, ...] = ()  # 一次性告知 from the checklist (refused cases): everything still needed
    notice_items: tuple[str, ...] = ()  # further points to tell once (e.g. "被投靠人须本人到场")
    competent_office: str = ""  # 不予受理: the office the applicant should apply to instead, if any
    refusal_ground: str = ""  # 不予受理: the ground the clerk picked, as the catalog words it
    refusal_basis: str = ""  # … and its legal basis
    received_at: dt.datetime | None = None  # 收件 (local), when earlier than 受理 (a case accepted after 补正)
    correction_due: dt.date | None = None  # 补正告知: the end of the five-workday notice period
    corrections: tuple[str, ...] = ()  # 当场更正, one line each: 项目：原 → 现（申请人签名确认）
    progress_query: str = ""  # how to follow progress; a default is printed when empty
    result: str = ""  # approved | refused, once concluded
    result_note: str = ""
    concluded_at: dt.datetime | None = None
    handed_over_at: dt.datetime | None = None
    reprint: bool = False  # printed again: every page is marked 补打
    bilingual: bool = True  # Mongolian beside the Chinese of the fixed wording (app.language.languages_for)
    mongolian_first: bool = True  # Mongolian above the Chinese (Inner Mongolia's language rule), else below
    matter_name_mn: str = ""  # the matter's Mongolian name from the catalog snapshot, printed beside the Chinese
    department_mn: str = ""  # the office's Mongolian name, likewise
    printed_at: dt.datetime | None = None  # hall wall-clock time of this printing (case_doc sets it); a sample without one is dated by its acceptance
    extra: dict[str, str] = field(default_factory=dict)
    # After acceptance (issue 14): the event details the later documents print, by event kind (extend,
    # terminate, revoke), and the notes on the time limits (paused / extended / periods not counted).
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    time_notes: tuple[str, ...] = ()

    @property
    def printed_case_no(self) -> str:
        """The number as printed beside its barcode and in the text: in the groups it is read aloud in."""
        try:
            return speak_case_no(self.case_no)
        except ValidationError:  # a number of neither form (a test fixture) prints as stored
            return self.case_no

    @property
    def accepted_date(self) -> dt.date:
        return self.accepted_at.date()

    def outstanding(self) -> tuple[MaterialLine, ...]:
        return tuple(m for m in self.materials if m.outstanding)

    def deferred(self) -> tuple[MaterialLine, ...]:
        return tuple(m for m in self.materials if m.state == "deferred")

    def pledged(self) -> tuple[MaterialLine, ...]:
        return tuple(m for m in self.materials if m.state == "pledge")

    def missing(self) -> tuple[MaterialLine, ...]:
        return tuple(m for m in self.materials if m.state == "missing")


@dataclass(frozen=True)
class TicketDoc:
    """A queue ticket as the kiosk prints it."""

    code: str  # e.g. A012
    category: str  # queue category letter
    category_name: str  # e.g. 社保医保
    hall_code: str
    hall_name: str
    issued_at: dt.datetime  # local time
    ahead: int | None = 0  # people waiting before this ticket in its category; None: not known (issued offline)
    priority: str = ""  # "" | elder | disabled | military (绿色通道)
    notice: str = ""
    appointment: bool = False
    category_name_mn: str = ""  # the category's Mongolian name from the catalog, printed beside the Chinese
    bilingual: bool = True  # Mongolian lines beside the Chinese ones (app.language.languages_for)
    mongolian_first: bool = True  # Mongolian above the Chinese (the region's rule), else below
    notice_mn: str = ""  # the notice in Mongolian (queue.notice_mn); "" uses the vocabulary's wording of ``notice``

    @property
    def service_date(self) -> dt.date:
        return self.issued_at.date()

    def qr_payload(self) -> str:
        """``ZCT1|hall_code|YYYY-MM-DD|code`` — what the kiosk, the display and the window scan back."""
        return f"ZCT1|{self.hall_code}|{self.service_date.isoformat()}|{self.code}"


PRIORITY_LABELS: dict[str, str] = {"elder": "老年人绿色通道", "disabled": "残疾人绿色通道", "military": "军人/消防绿色通道",
                                   "pregnant": "孕妇绿色通道"}


def verification_digest(case_no: str, hall_code: str, accepted: dt.date, id_no: str, matter_code: str) -> str:
    """First 12 hex digits of SHA-256 over the fields a forged receipt would have to change.

    The applicant's ID number goes into the digest but not into the QR text, so the code printed on paper
    reveals nothing beyond what is printed next to it, and a checker holding the case row can recompute it.
    """
    canonical = "|".join((case_no, hall_code, accepted.isoformat(), id_no.upper(), matter_code))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def verification_payload(doc: CaseDoc) -> str:
    """The QR text on every case document: ``ZCV1|case_no|hall_code|YYYY-MM-DD|sha256-prefix``."""
    digest = verification_digest(doc.case_no, doc.hall.code, doc.accepted_date, doc.applicant.id_no,
                                 doc.matter_code)
    return f"{DOCUMENT_QR_PREFIX}|{doc.case_no}|{doc.hall.code}|{doc.accepted_date.isoformat()}|{digest}"


def document_qr_text(doc: CaseDoc) -> str:
    """What the documents' QR holds: with a hall query page configured, that page's link for this 受理编号 with
    the signed payload as its ``zcv`` parameter (a phone opens the progress page; the counter's scanner finds the
    ``ZCV1|`` token inside the link, app.devices.scanner); without one, the payload alone."""
    payload = verification_payload(doc)
    template = doc.hall.query_url.strip()
    if not template:
        return payload
    url = template.replace("{case_no}", quote(doc.case_no, safe=""))
    return f"{url}{'&' if '?' in url else '?'}zcv={quote(payload, safe='')}"


def check_verification(payload: str, *, case_no: str, hall_code: str, accepted: dt.date, id_no: str,
                       matter_code: str) -> bool:
    """True when a scanned QR text matches the case as the store knows it."""
    parts = payload.strip().split("|")
    if len(parts) != 5 or parts[0] != DOCUMENT_QR_PREFIX:
        return False
    expected = verification_digest(case_no, hall_code, accepted, id_no, matter_code)
    return parts[1:] == [case_no, hall_code, accepted.isoformat(), expected]
