"""Keyboard-wedge scanners: telling a scanner's burst from typing, and recognising what was scanned.

A wedge scanner "types" its code, a key every few milliseconds, then Enter; people type an order of magnitude
slower. :class:`BurstDetector` decides from key times alone (no Qt), :func:`recognise` says whether the text is an
ID number, a 受理编号 (which form: the 19-digit one with its check digit, or an old 18-digit one), a queue ticket's
QR (:func:`ticket_qr_payload` is the format printed on tickets) or an e-license QR, and never lets an ID number
with a bad check digit through unflagged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from app.case_no import (
    CASE_NO_LENGTH,
    DOCUMENT_QR_PREFIX,
    FORM_LABELS,
    LEGACY_CASE_NO_LENGTH,
    CaseNo,
    normalize_case_no,
    plausible_legacy_case_no,
)
from app.errors import ValidationError
from app.identity import check_id, normalize_id_text

# --- burst vs typing ---------------------------------------------------------------------------------------

MIN_BURST_CHARS = 6
MAX_KEY_GAP_MS = 30.0  # mean gap of a scanner burst; typing is ≥ 60 ms a key even for fast typists
SLOW_GAP_MS = 120.0  # a single gap this long ends a burst (OS jitter can stretch one key, not this far)


@dataclass(frozen=True)
class Burst:
    """A scanner burst ended by Enter: its text and where it starts among the keys fed since the last Enter."""

    text: str
    start: int
    mean_gap_ms: float


class BurstDetector:
    """Feed it keys with their times (milliseconds, any monotonic origin); Enter answers "was that a scan?".

    The run of keys since the last long pause is the candidate: it is a burst when it has at least
    ``min_chars`` characters, the mean gap between them (and to the Enter) is below ``max_gap_ms`` and no
    single gap reaches ``slow_gap_ms``.
    """

    def __init__(
        self,
        *,
        min_chars: int = MIN_BURST_CHARS,
        max_gap_ms: float = MAX_KEY_GAP_MS,
        slow_gap_ms: float = SLOW_GAP_MS,
    ) -> None:
        self.min_chars = min_chars
        self.max_gap_ms = max_gap_ms
        self.slow_gap_ms = slow_gap_ms
        self.reset()

    def reset(self) -> None:
        self._typed = 0  # keys since the last Enter
        self._run: list[str] = []
        self._run_start = 0
        self._run_gaps: list[float] = []
        self._last: float | None = None

    def starts_run(self, t_ms: float) -> bool:
        """Would a key at ``t_ms`` start a new run (so a caller can remember the text before it)?"""
        if self._last is None or not self._run:
            return True
        gap = t_ms - self._last
        return gap >= self.slow_gap_ms or gap < 0

    def key(self, char: str, t_ms: float) -> None:
        """A printable key arrived at ``t_ms``."""
        gap = None if self._last is None else t_ms - self._last
        if gap is None or gap >= self.slow_gap_ms or gap < 0:
            self._run = []
            self._run_gaps = []
            self._run_start = self._typed
        elif self._run:
            self._run_gaps.append(gap)
        self._run.append(char)
        self._typed += 1
        self._last = t_ms

    def backspace(self, t_ms: float) -> None:
        """People correct themselves; scanners never do. An edit ends any run."""
        self._run = []
        self._run_gaps = []
        self._typed = max(0, self._typed - 1)
        self._run_start = self._typed
        self._last = t_ms

    def enter(self, t_ms: float) -> Burst | None:
        """Enter arrived: the burst it ends, or None when the keys were typed. Either way a new line starts."""
        result: Burst | None = None
        if self._last is not None and len(self._run) >= self.min_chars:
            gaps = [*self._run_gaps, t_ms - self._last]
            mean = sum(gaps) / len(gaps)
            if all(0 <= g < self.slow_gap_ms for g in gaps) and mean < self.max_gap_ms:
                result = Burst("".join(self._run), self._run_start, mean)
        self.reset()
        return result


# --- ticket QR ---------------------------------------------------------------------------------------------

TICKET_PREFIX = "ZCT:"
_TICKET_RE = re.compile(r"^ZCT:([0-9A-Za-z]{1,16}):(\d{8}):([0-9A-Z]{1,12}):(\d{1,18})$")


@dataclass(frozen=True)
class TicketQr:
    hall_code: str
    service_date: date
    code: str  # e.g. A012
    ticket_id: int


def ticket_qr_payload(*, hall_code: str, service_date: date, code: str, ticket_id: int) -> str:
    """The text of the QR printed on a queue ticket: ``ZCT:<hall>:<yyyymmdd>:<code>:<ticket id>``.

    Short and upper-case/digits only, so the QR stays small on 58 mm paper.
    """
    text = f"{TICKET_PREFIX}{hall_code}:{service_date:%Y%m%d}:{code}:{ticket_id}"
    if not _TICKET_RE.match(text):
        raise ValidationError(f"号票二维码内容无效：{text}", field="ticket")
    return text


def parse_ticket_qr(text: str) -> TicketQr | None:
    """The ticket a scanned QR names; None if it is not a ticket QR; ValidationError if it is one, mangled."""
    text = text.strip()
    if text.startswith("{"):
        data = _json_object(text)
        if data is None or data.get("kind") != "ticket":
            return None
        try:
            text = ticket_qr_payload(
                hall_code=str(data["hall_code"]),
                service_date=date.fromisoformat(str(data["service_date"])),
                code=str(data["code"]),
                ticket_id=int(data["ticket_id"]),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ValidationError("号票二维码内容不完整或格式错误", field="ticket") from exc
    if not text.upper().startswith(TICKET_PREFIX):
        return None
    m = _TICKET_RE.match(text)
    if not m:
        raise ValidationError("号票二维码内容格式错误，请让申请人重新取号或手工输入号码", field="ticket")
    try:
        day = date(int(m[2][:4]), int(m[2][4:6]), int(m[2][6:]))
    except ValueError as exc:
        raise ValidationError(f"号票二维码中的日期无效：{m[2]}", field="ticket") from exc
    return TicketQr(hall_code=m[1], service_date=day, code=m[3], ticket_id=int(m[4]))


# --- recognising a scan --------------------------------------------------------------------------------------

ScanKind = Literal["id_number", "case_no", "ticket", "e_license", "unknown"]
SCAN_KIND_LABELS: dict[str, str] = {
    "id_number": "证件号码",
    "case_no": "受理编号",
    "ticket": "排队号票",
    "e_license": "电子证照",
    "unknown": "无法识别",
}

_ID18_RE = re.compile(r"^[0-9]{17}[0-9X]$")
_ALNUM_RE = re.compile(r"^[0-9A-Z]{6,32}$")
_ID_IN_TEXT_RE = re.compile(r"(?<![0-9A-Za-z])([0-9]{17}[0-9Xx])(?![0-9A-Za-z])")
# Keys e-license QR payloads commonly use for the holder's number (pinyin initials and English).
_ID_KEYS = ("idcard", "idno", "id_no", "idnumber", "id_number", "sfzh", "sfzhm", "zjhm", "certno", "cert_no",
            "holderid", "holder_id", "cardno", "card_no", "zzhm", "czzhm", "czrzjhm", "gmsfhm")  # fmt: skip
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# The documents' signed token, found anywhere in the scanned text: alone, inside the hall's query link
# (printing.data.document_qr_text puts it URL-encoded in ``zcv=``) or inside other text.
_DOCUMENT_TOKEN_RE = re.compile(DOCUMENT_QR_PREFIX + r"\|[^|\s&#]+\|[^|\s&#]+\|[^|\s&#]+\|[0-9a-f]+")
LEGACY_CASE_NO_MESSAGE = f"按{FORM_LABELS['legacy']}读取"


@dataclass(frozen=True)
class Scanned:
    """What a scan (wedge burst or camera frame) turned out to be.

    ``ok`` is False when the code was recognised but cannot be used as it is (an ID number failing its
    check, a mangled ticket QR, a 19-digit number with a wrong check digit): ``message`` then says why and the
    value must not be placed in a field. A usable 受理编号 comes with ``case_no`` (which form it was read as).
    """

    raw: str
    kind: ScanKind
    value: str  # the ID number, case number or ticket code; the raw text for unknown/e-licence without ID
    ok: bool = True
    message: str = ""
    id_check: Any = field(default=None, compare=False)  # app.identity.IdCheck for ID numbers
    ticket: TicketQr | None = None
    id_number: str = ""  # the holder's ID number inside an e-licence QR, when present
    case_no: CaseNo | None = None

    @property
    def kind_label(self) -> str:
        return SCAN_KIND_LABELS[self.kind]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"raw": self.raw, "kind": self.kind, "kind_label": self.kind_label,
                               "value": self.value, "ok": self.ok, "message": self.message}  # fmt: skip
        if self.case_no is not None:
            out["form"] = self.case_no.form
            out["form_label"] = self.case_no.form_label
            out["spoken"] = self.case_no.spoken
        if self.id_number:
            out["id_number"] = self.id_number
        if self.id_check is not None:
            out["id_check"] = self.id_check.to_json()
        if self.ticket is not None:
            t = self.ticket
            out["ticket"] = {"hall_code": t.hall_code, "service_date": t.service_date.isoformat(),
                             "code": t.code, "ticket_id": t.ticket_id}  # fmt: skip
        return out


def clean_scan_text(raw: str) -> str:
    """Drop the Enter/Tab/NUL a scanner appends and surrounding blanks."""
    return _CONTROL_RE.sub("", raw).strip()


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _id_message(check: Any) -> str:
    detail = "；".join(check.errors) if check.errors else "号码无效"
    return f"扫描到的证件号码未通过校验：{detail}"


def _ids_in_json(value: Any, key: str = "") -> list[tuple[bool, str]]:
    """(found under an ID-like key, text) for every ID-shaped string in a JSON value."""
    found: list[tuple[bool, str]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _ids_in_json(v, str(k))
    elif isinstance(value, list):
        for v in value:
            found += _ids_in_json(v, key)
    elif isinstance(value, str | int) and not isinstance(value, bool):
        for m in _ID_IN_TEXT_RE.finditer(str(value)):
            found.append((key.lower().replace("-", "_") in _ID_KEYS, m[1].upper()))
    return found


def _e_license_id(text: str) -> str | None:
    """The holder's ID number in an e-licence payload (URL query, JSON, or plain text), if any."""
    data = _json_object(text)
    if data is not None:
        hits = _ids_in_json(data)
    elif re.match(r"^https?://", text, re.IGNORECASE):
        parts = urlsplit(text)
        hits = [(k.lower() in _ID_KEYS, m[1].upper()) for k, v in parse_qsl(parts.query + "&" + parts.fragment)
                for m in _ID_IN_TEXT_RE.finditer(v)]  # fmt: skip
        hits += [(False, m[1].upper()) for m in _ID_IN_TEXT_RE.finditer(unquote(parts.path))]
    else:
        hits = [(False, m[1].upper()) for m in _ID_IN_TEXT_RE.finditer(text)]
    if not hits:
        return None
    keyed = [v for named, v in hits if named]
    return (keyed or [v for _n, v in hits])[0]


def _id_scan(raw: str, text: str, check: Any) -> Scanned:
    if check.valid:
        return Scanned(raw, "id_number", check.normalized, id_check=check)
    return Scanned(raw, "id_number", text, ok=False, message=_id_message(check), id_check=check)


def _eighteen_digits(raw: str, digits: str, today: date, is_case_no: Callable[[str], bool] | None) -> Scanned:
    """18 digits are an ID number, a credit code or an old-form 受理编号; the hall's own case numbers first."""
    if is_case_no is not None and is_case_no(digits):
        return Scanned(raw, "case_no", digits, message=LEGACY_CASE_NO_MESSAGE, case_no=CaseNo(digits, "legacy"))
    check = check_id(digits, today=today)
    if not check.valid and plausible_legacy_case_no(digits, today=today):
        return Scanned(raw, "case_no", digits, message=LEGACY_CASE_NO_MESSAGE, case_no=CaseNo(digits, "legacy"))
    # Otherwise an ID number even when its check digit is wrong: the clerk must hear about the bad digit.
    return _id_scan(raw, digits, check)


def _document_qr(raw: str, text: str) -> Scanned:
    """The QR of a printed 受理回执 or notice: the case number it carries (either form)."""
    parts = text.split("|")
    try:
        number = normalize_case_no(parts[1] if len(parts) == 5 else "")
    except ValidationError as exc:
        return Scanned(raw, "case_no", text, ok=False, message=f"文书二维码中的{exc.message}")
    return Scanned(raw, "case_no", number.text, case_no=number)


def recognise(raw: str, *, today: date, is_case_no: Callable[[str], bool] | None = None) -> Scanned:
    """Say what a scanned code is. ID numbers are checked; a bad one comes back with ``ok=False``.

    Args:
        raw: the scanned text, as the scanner or the decoder delivered it.
        today: the hall's calendar day (``HallClock.today()``): ID birth dates and old-form case numbers may
            not lie after it.
        is_case_no: asked about 18 digits before anything else ("is this one of the hall's case numbers?"),
            usually a store lookup; it runs in the caller's thread and its errors propagate.
    """
    text = clean_scan_text(raw)
    if not text:
        return Scanned(raw, "unknown", "", ok=False, message="扫描内容为空")
    try:
        ticket = parse_ticket_qr(text)
    except ValidationError as exc:
        return Scanned(raw, "ticket", text, ok=False, message=exc.message)
    if ticket is not None:
        return Scanned(raw, "ticket", ticket.code, ticket=ticket)
    if text.startswith(DOCUMENT_QR_PREFIX + "|"):
        return _document_qr(raw, text)
    if DOCUMENT_QR_PREFIX in text.upper():
        token = _DOCUMENT_TOKEN_RE.search(unquote(text))
        if token is not None:
            return _document_qr(raw, token.group(0))

    # A scanner set to a Chinese input method can deliver full-width digits, and a number typed at scanner pace
    # may carry the spaces it is read aloud with: fold both for the number checks.
    upper = normalize_id_text(text)
    if upper.isascii() and upper.isdigit():
        if len(upper) == CASE_NO_LENGTH:
            try:
                number = normalize_case_no(upper)
            except ValidationError as exc:
                return Scanned(raw, "case_no", upper, ok=False, message=f"扫描到的{exc.message}")
            return Scanned(raw, "case_no", number.text, case_no=number)
        if len(upper) == LEGACY_CASE_NO_LENGTH:
            return _eighteen_digits(raw, upper, today, is_case_no)
        if len(upper) == 15:  # an old 15-digit ID number (1985–2004 cards)
            return _id_scan(raw, upper, check_id(upper, today=today))
    if _ID18_RE.match(upper) or (len(upper) == 18 and _ALNUM_RE.match(upper)):
        check = check_id(upper, today=today)
        if check.valid or _ID18_RE.match(upper) or check.kind not in ("unknown", None):
            return _id_scan(raw, upper, check)
    if _ALNUM_RE.match(upper) and len(upper) == 15:
        check = check_id(upper, today=today)  # an old permanent-residence card: three letters and twelve digits
        if check.valid:
            return _id_scan(raw, upper, check)

    if text.startswith("{") or re.match(r"^https?://", text, re.IGNORECASE):
        holder = _e_license_id(text)
        if holder is None:
            return Scanned(raw, "e_license", text, message="电子证照二维码中没有证件号码，请核对证照内容")
        check = check_id(holder, today=today)
        if not check.valid:
            return Scanned(raw, "e_license", text, ok=False, message=_id_message(check), id_check=check,
                           id_number=holder)  # fmt: skip
        return Scanned(raw, "e_license", text, id_check=check, id_number=check.normalized)
    return Scanned(raw, "unknown", text, ok=False, message="无法识别的条码内容：不是受理编号、证件号码或号票")
