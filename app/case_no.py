"""受理编号, the number itself: hall code (6) + yymmdd + window (2) + sequence (4) + a Damm check digit.

Digits only so the barcode is a compact Code128-C and a clerk can read it aloud in groups
(``150929 261122 03 0007 4``). Nineteen digits is a length no ID number (18/15), 统一社会信用代码 (18),
permanent-residence card (15/18) or queue ticket has, and the Damm digit catches every single wrong digit and
every swap of two adjacent digits. Numbers printed before the check digit (18 digits, ``legacy``) stay valid
wherever a number is looked up; a stored case keeps the number it was given. See docs/case-numbers.md.

No store and no Qt here, so the scanner, printing and widgets can read numbers; ``app.cases.case_no`` allocates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from app.errors import StateError, ValidationError
from app.identity import normalize_id_text

CASE_NO_LENGTH = 19
LEGACY_CASE_NO_LENGTH = 18
MAX_SEQUENCE = 9999
CHECK_DIGIT_MESSAGE = "受理编号校验位不符：请核对是否输错一位或两位相邻数字颠倒"

# The QR on every case document starts ``ZCV1|<受理编号>|…`` (printing.data.verification_payload writes it).
DOCUMENT_QR_PREFIX = "ZCV1"

CaseNoForm = Literal["current", "legacy"]
FORM_LABELS: dict[str, str] = {"current": "受理编号", "legacy": "旧式 18 位受理编号"}

# The quasigroup of Damm (2004), as published: row = interim digit, column = next digit; zero diagonal.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_DIGITS = re.compile(r"[0-9]+")


def _damm_interim(digits: str) -> int:
    interim = 0
    for char in digits:
        interim = _DAMM[interim][ord(char) - 48]
    return interim


def damm_check_digit(digits: str) -> str:
    """The Damm check digit of a string of ASCII digits (``damm_check_digit("572") == "4"``)."""
    if not _DIGITS.fullmatch(digits):
        raise ValueError(f"Damm check digits are for ASCII digits only: {digits!r}")
    return str(_damm_interim(digits))


def damm_valid(digits: str) -> bool:
    """Digits whose last one is the Damm check digit of the others."""
    return bool(_DIGITS.fullmatch(digits)) and _damm_interim(digits) == 0


@dataclass(frozen=True)
class CaseNo:
    """A 受理编号 as understood: its digits and which form they are in."""

    text: str  # digits only: 19 for ``current``, 18 for ``legacy``
    form: CaseNoForm

    def __str__(self) -> str:
        return self.text

    @property
    def form_label(self) -> str:
        return FORM_LABELS[self.form]

    @property
    def spoken(self) -> str:
        """Groups for reading aloud or printing: ``150929 261122 03 0007 4`` (hall, date, window, sequence, check)."""
        no = self.text
        groups = f"{no[:6]} {no[6:12]} {no[12:14]} {no[14:18]}"
        return groups if self.form == "legacy" else f"{groups} {no[18:]}"

    @property
    def hall_code(self) -> str:
        return self.text[:6]

    @property
    def day(self) -> dt.date:
        return _day(self.text)

    @property
    def window_number(self) -> int:
        return int(self.text[12:14])

    @property
    def sequence(self) -> int:
        return int(self.text[14:18])


def _day(digits: str) -> dt.date:
    return dt.date(2000 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))


def check_parts(hall_code: str, window_number: int) -> None:
    if not re.fullmatch(r"\d{6}", hall_code or ""):
        raise ValidationError(f"大厅编码应为 6 位数字（行政区划代码），得到 {hall_code!r}", field="hall_code")
    if not 1 <= window_number <= 99:
        raise ValidationError(f"窗口号应在 1–99 之间，得到 {window_number}", field="window_number")


def format_case_no(hall_code: str, day: dt.date, window_number: int, sequence: int) -> str:
    """The 19-digit number of one acceptance: the 18 digits of its parts and their Damm check digit."""
    check_parts(hall_code, window_number)
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise StateError(f"窗口 {window_number} 当日受理编号已用完（上限 {MAX_SEQUENCE} 件）", field="case_no")
    body = f"{hall_code}{day:%y%m%d}{window_number:02d}{sequence:04d}"
    return body + damm_check_digit(body)


def _structure_error(digits: str) -> str:
    """Why the parts of a number of the right length cannot be one we issued, or ""."""
    try:
        _day(digits)
    except ValueError:
        return f"受理编号第 7–12 位应为受理日期（年月日），{digits[6:12]} 不是有效日期"
    if digits[12:14] == "00":
        return "受理编号第 13–14 位应为窗口号 01–99，得到 00"
    if digits[14:18] == "0000":
        return "受理编号第 15–18 位应为流水号 0001–9999，得到 0000"
    return ""


def normalize_case_no(text: str) -> CaseNo:
    """A typed, scanned or spoken number in either form; ValidationError saying what is wrong when it is not one.

    Spaces, dashes and full-width digits are accepted. A 19-digit number must carry its Damm check digit.
    """
    digits = normalize_id_text(text or "")
    if not _DIGITS.fullmatch(digits) or len(digits) not in (CASE_NO_LENGTH, LEGACY_CASE_NO_LENGTH):
        raise ValidationError(f"受理编号应为 {CASE_NO_LENGTH} 位数字（旧式为 {LEGACY_CASE_NO_LENGTH} 位），得到 {text!r}",
                              field="case_no")  # fmt: skip
    if len(digits) == CASE_NO_LENGTH and not damm_valid(digits):
        raise ValidationError(CHECK_DIGIT_MESSAGE, field="case_no")
    problem = _structure_error(digits)
    if problem:
        raise ValidationError(problem, field="case_no")
    return CaseNo(digits, "current" if len(digits) == CASE_NO_LENGTH else "legacy")


def read_case_no(text: str) -> CaseNo | None:
    """The 受理编号 typed text is, or None when it is something else (a name, an ID number).

    Nothing but a 受理编号 has 19 digits, so 19 digits that fail its check raise ValidationError with the reason
    rather than being searched for as something else.
    """
    try:
        return normalize_case_no(text)
    except ValidationError:
        digits = normalize_id_text(text or "")
        if len(digits) == CASE_NO_LENGTH and _DIGITS.fullmatch(digits):
            raise
        return None


def plausible_legacy_case_no(digits: str, *, today: dt.date) -> bool:
    """Could these 18 digits be an old-form 受理编号 printed on a receipt by ``today`` (the hall's day)?

    A valid date not after ``today``, window 01–99, sequence ≥ 1 — and a year other than 2019 or 2020: in those
    years the digits 7–8 read as an ID number's birth century (19xx/20xx), so a mistyped ID number of anyone
    born 1901–1912 or 2001–2012 would pass for a case number; no number was issued before 2026 anyway. The
    caller rules out valid ID numbers.
    """
    if len(digits) != LEGACY_CASE_NO_LENGTH or not _DIGITS.fullmatch(digits) or digits[6:8] in ("19", "20"):
        return False
    return not _structure_error(digits) and _day(digits) <= today


def speak_case_no(case_no: str) -> str:
    """Groups for reading aloud or printing: ``150929 261122 03 0007 4`` (``150929 261122 03 0007`` when legacy)."""
    return normalize_case_no(case_no).spoken
