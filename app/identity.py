"""ID number checks at the counter: resident IDs (GB 11643), 港澳台居民居住证, 外国人永久居留身份证 and
统一社会信用代码 (GB 32100). ``check_id`` never raises on any string; it says what is wrong in plain Chinese.

Details and sources of each format are in ``docs/identity.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import mul
from typing import Any

from app.vocabulary import ID_KIND_LABELS

HMT_REGIONS: dict[str, str] = {"810000": "香港", "820000": "澳门", "830000": "台湾"}

# GB 11643 (ISO 7064 MOD 11-2): weights of the first 17 digits and the check character for sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB 32100: 31 characters (no I, O, S, V, Z) and the weights of the first 17.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARS)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714 organisation code (chars 9–17 of a credit code): weights of its first 8 characters.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# 登记管理部门 → (name, {机构类别 code: name}) per GB 32100-2015 appendix A.
CREDIT_DEPARTMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": ("司法行政", {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构",
                    "5": "仲裁委员会", "9": "其他"}),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("市场监管（工商）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业农村", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

_ALNUM = re.compile(r"[0-9A-Z]+")
# The kinds that identify a natural person (an applicant, a proxy, an entry on the excluded list).
PERSON_ID_KINDS = frozenset({"resident", "resident15", "hmt_permit", "foreign_pr", "foreign_pr_old"})
_MAX_LEN = 40  # anything longer is not an ID number; do not echo it back
_HYPHENS = "-‐‑‒–—―−﹣"
# Full-width ASCII (！ to ～) → ASCII, the ideographic space → space; hyphens of every width → removed.
_TRANSLATE: dict[int, int | None] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_TRANSLATE[0x3000] = 0x20
for _h in _HYPHENS:
    _TRANSLATE[ord(_h)] = None
_TRANSLATE[0xFF0D] = None  # full-width hyphen-minus


@dataclass(frozen=True)
class IdCheck:
    input: str
    valid: bool
    kind: str  # resident|resident15|hmt_permit|foreign_pr|foreign_pr_old|credit_code|unknown
    normalized: str  # 18-character form when one exists (15-digit IDs upgraded)
    birth_date: date | None = None
    gender: str | None = None  # "男" / "女"
    region_code: str | None = None
    region_name: str | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    nationality: str | None = None  # foreign PR: numeric (2023 form) or letter (old form) country code
    organisation_type: str | None = None  # credit code: 登记管理部门 and 机构类别

    @property
    def kind_label(self) -> str:
        return ID_KIND_LABELS[self.kind]

    @property
    def message(self) -> str:
        """One line for the clerk: the first error, else the first warning, else empty."""
        return self.errors[0] if self.errors else (self.warnings[0] if self.warnings else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "valid": self.valid,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "normalized": self.normalized,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "gender": self.gender,
            "region_code": self.region_code,
            "region_name": self.region_name,
            "nationality": self.nationality,
            "organisation_type": self.organisation_type,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
        }


def normalize_id_text(text: str) -> str:
    """Full-width → half-width, spaces and hyphens removed, letters upper-cased (x → X)."""
    text = str(text)
    # Typed and scanned numbers are nearly always plain ASCII: keep that path cheap (50,000 checks/s).
    text = text.replace("-", "") if text.isascii() else text.translate(_TRANSLATE)
    text = "".join(text.split())
    if text.isascii():
        return text.upper()
    # Upper-case ASCII letters only: str.upper() would turn "ﬀ" into "FF" and let a ligature pass as a code.
    return "".join(c.upper() if c.isascii() else c for c in text)


def id_check_digit(body17: str) -> str:
    """GB 11643 check character for 17 digits."""
    # map/operator.mul rather than a generator: this is the hot loop of the 50,000 checks/s target.
    return _ID_CHECK[sum(map(mul, map(int, body17), _ID_WEIGHTS)) % 11]


def credit_check_char(body17: str) -> str:
    """GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(map(mul, map(_CREDIT_VALUE.__getitem__, body17), _CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    """GB 11714 check character for the first 8 characters of an organisation code."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def upgrade_15(number: str) -> str:
    """A 15-digit legacy number as its 18-digit form: insert the century 19 and append the check digit."""
    body = number[:6] + "19" + number[6:15]
    return body + id_check_digit(body)


def check_id(text: str, *, today: date) -> IdCheck:
    """Check any typed, scanned or read ID number; the kind is detected from its shape.

    ``today`` is the hall's day (``HallClock.today()``): a birth date after it is an error.
    """
    try:
        return _check(text, today)
    except Exception:  # a bug here must never reach the clerk as a crash; the input is simply not accepted
        return IdCheck(str(text)[:_MAX_LEN], False, "unknown", "", errors=("无法识别该证件号码",))


# ---- the checks --------------------------------------------------------------------------------------------


def _check(raw: str, today: date) -> IdCheck:
    original = raw if isinstance(raw, str) else str(raw)
    shown = original if len(original) <= _MAX_LEN else original[:_MAX_LEN] + "…"
    if len(original) > 4 * _MAX_LEN:
        return _unknown(shown, "", f"证件号码过长：{len(original)} 个字符，身份证号码应为 18 位")
    text = normalize_id_text(original)
    if not text:
        return _unknown(shown, "", "证件号码为空")
    if len(text) > _MAX_LEN:
        return _unknown(shown, "", f"证件号码过长：{len(text)} 个字符，身份证号码应为 18 位")
    if not _ALNUM.fullmatch(text):
        for index, char in enumerate(text, start=1):
            if not ("0" <= char <= "9" or "A" <= char <= "Z"):
                return _unknown(shown, text, f"证件号码含有无效字符“{char}”（第 {index} 位）")
    n = len(text)
    if n == 18:
        head = text[:17]
        if head.isdigit():
            if text[0] == "9":
                return _nine_prefixed(shown, text, today)
            if text[:6] in HMT_REGIONS:
                return _resident(shown, text, today, kind="hmt_permit")
            if _is_digit_credit_code(text, today):
                return _credit(shown, text)
            return _resident(shown, text, today, kind="resident")
        if _looks_like_credit(text, today):
            return _credit(shown, text)
        return _resident(shown, text, today, kind="resident")
    if n == 15:
        if text.isdigit():
            return _resident15(shown, text, today)
        if text[:3].isalpha():
            return _foreign_old(shown, text, today)
        return _resident15(shown, text, today)
    if text.isdigit() or (text[:-1].isdigit() and text[-1] == "X"):
        return _unknown(shown, text, f"长度应为 18 位，实际 {n} 位")
    return _unknown(shown, text, f"证件号码长度应为 18 位（统一社会信用代码也是 18 位），实际 {n} 位")


def _unknown(shown: str, text: str, error: str) -> IdCheck:
    return IdCheck(shown, False, "unknown", text, errors=(error,))


def _parse_birth(digits: str, today: date, errors: list[str]) -> date | None:
    if not digits.isdigit():
        errors.append(f"出生日期应为 8 位数字：{digits}")
        return None
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        errors.append(f"出生日期不存在：{digits}")
        return None
    if born.year < 1900:
        errors.append(f"出生日期早于 1900 年：{digits}")
        return None
    if born > today:
        errors.append(f"出生日期不能晚于今天：{digits}")
        return None
    return born


def _letters_misplaced(text: str, last_allowed: bool = True) -> str | None:
    for index, char in enumerate(text, start=1):
        if not char.isdigit() and not (last_allowed and index == len(text) and char == "X"):
            where = "最后一位只能是数字或 X" if index == len(text) else f"第 {index} 位应为数字"
            return f"身份证号码{where}，实际是 {char}"
    return None


def _region(code: str, birth: date | None, warnings: list[str]) -> tuple[str | None, str | None]:
    from app.divisions import division_table

    region = division_table().region(code, birth.year if birth else None)
    if region.status == "unknown":
        warnings.append(f"行政区划代码 {code} 未收录（可能是新设或已撤销的地区），请核对证件")
        return code, None
    if region.status == "retired":
        warnings.append(f"行政区划代码 {code}（{region.name}）{region.note}，早于出生年份，请核对证件")
    return code, region.name


def _resident(shown: str, text: str, today: date, *, kind: str) -> IdCheck:
    errors: list[str] = []
    warnings: list[str] = []
    if not (text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")):
        misplaced = _letters_misplaced(text) or "身份证号码格式错误"
        return IdCheck(shown, False, kind, text, errors=(misplaced,))
    birth = _parse_birth(text[6:14], today, errors)
    expected = id_check_digit(text[:17])
    if text[17] != expected:
        what = "港澳台居民居住证号码" if kind == "hmt_permit" else "身份证号码"
        errors.append(f"{what}校验位错误：应为 {expected}")
    gender = "男" if int(text[16]) % 2 else "女"
    if kind == "hmt_permit":
        code: str | None = text[:6]
        name: str | None = HMT_REGIONS[text[:6]]
    else:
        from app.divisions import division_table

        if not division_table().is_province(text[:2]):
            errors.append(f"行政区划代码前两位 {text[:2]} 不是省级代码")
            code, name = text[:6], None
        else:
            code, name = _region(text[:6], birth, warnings)
    return IdCheck(shown, not errors, kind, text, birth, gender, code, name, tuple(errors), tuple(warnings))


def _resident15(shown: str, text: str, today: date) -> IdCheck:
    if not text.isdigit():
        misplaced = _letters_misplaced(text, last_allowed=False)
        return IdCheck(shown, False, "resident15", text, errors=(misplaced or "15 位身份证号码只能是数字",))
    upgraded = upgrade_15(text)
    errors: list[str] = []
    warnings: list[str] = [f"15 位旧号码，已按 GB 11643 升级为 18 位：{upgraded}"]
    birth = _parse_birth(upgraded[6:14], today, errors)
    gender = "男" if int(text[14]) % 2 else "女"
    from app.divisions import division_table

    code: str | None = text[:6]
    name: str | None = None
    if not division_table().is_province(text[:2]):
        errors.append(f"行政区划代码前两位 {text[:2]} 不是省级代码")
    else:
        code, name = _region(text[:6], birth, warnings)
    return IdCheck(shown, not errors, "resident15", upgraded, birth, gender, code, name,
                   tuple(errors), tuple(warnings))


def _nine_prefixed(shown: str, text: str, today: date) -> IdCheck:
    # An all-digit 18-character number starting with 9 is either a 2023 foreign PR card (MOD 11-2 check) or a
    # credit code registered with 市场监管 (MOD 31 check): the check digit that fits decides.
    pr_ok = text[17] == id_check_digit(text[:17])
    credit_ok = text[17] == credit_check_char(text[:17])
    if pr_ok and not credit_ok:
        return _foreign(shown, text, today)
    if credit_ok and not pr_ok:
        return _credit(shown, text)
    from app.divisions import division_table

    credit_like = text[1] in "123" and text[2:8] in division_table()
    return _credit(shown, text) if credit_like else _foreign(shown, text, today)


def _foreign(shown: str, text: str, today: date) -> IdCheck:
    errors: list[str] = []
    warnings: list[str] = []
    birth = _parse_birth(text[6:14], today, errors)
    expected = id_check_digit(text[:17])
    if text[17] != expected:
        errors.append(f"永久居留身份证号码校验位错误：应为 {expected}")
    from app.divisions import division_table

    province = text[1:3] + "0000"
    name = None
    if division_table().is_province(text[1:3]):
        name = division_table().region(province).name
    else:
        warnings.append(f"受理地代码 {text[1:3]} 不是省级代码，请核对证件")
    if text[3:6] == "000":
        errors.append("国籍代码 000 无效")
    gender = "男" if int(text[16]) % 2 else "女"
    return IdCheck(shown, not errors, "foreign_pr", text, birth, gender, province, name,
                   tuple(errors), tuple(warnings), nationality=text[3:6])


def _foreign_old(shown: str, text: str, today: date) -> IdCheck:
    # 3 letters (nationality) + 12 digits. The public description gives the structure (受理地 province code,
    # birth date YYMMDD) but no check-digit algorithm, so only the structure is checked; see docs/identity.md.
    errors: list[str] = []
    warnings: list[str] = ["旧版永居证号码无公开的校验算法，仅核对了结构"]
    digits = text[3:]
    if not digits.isdigit():
        bad = next(i for i, c in enumerate(digits, start=4) if not c.isdigit())
        return IdCheck(shown, False, "foreign_pr_old", text,
                       errors=(f"旧版永居证号码第 4–15 位应为数字，第 {bad} 位是 {text[bad - 1]}",))
    yymmdd = digits[2:8]
    # The field layout below comes from secondary descriptions, not the standard: a mismatch only warns, so a
    # genuine card is never refused on an unconfirmed rule.
    if not any(_date_exists(century + yymmdd) for century in ("19", "20")):
        warnings.append(f"第 6–11 位不是有效的出生日期：{yymmdd}，请核对证件")
    from app.divisions import division_table

    province = digits[:2] + "0000"
    name = None
    if division_table().is_province(digits[:2]):
        name = division_table().region(province).name
    else:
        warnings.append(f"受理地代码 {digits[:2]} 不是省级代码，请核对证件")
    return IdCheck(shown, not errors, "foreign_pr_old", text, None, None, province, name,
                   tuple(errors), tuple(warnings), nationality=text[:3])


def _date_exists(digits: str) -> bool:
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return True


def _is_digit_credit_code(text: str, today: date) -> bool:
    """An all-digit credit code (e.g. 民政 52…) looks like a resident ID. It is taken for a credit code only on a
    well-formed department, type and division, and then when its MOD 31 check fits and MOD 11-2 does not, or
    when neither fits and characters 7–14 are no birth date."""
    department = CREDIT_DEPARTMENTS.get(text[0])
    if department is None or text[1] not in department[1]:
        return False
    from app.divisions import division_table

    if text[2:8] not in division_table():
        return False
    id_ok = text[17] == id_check_digit(text[:17])
    credit_ok = text[17] == credit_check_char(text[:17])
    if id_ok != credit_ok:
        return credit_ok
    return not id_ok and not _birth_like(text[6:14], today)


def _birth_like(digits: str, today: date) -> bool:
    return digits.isdigit() and _date_exists(digits) and 1900 <= int(digits[:4]) <= today.year


def _looks_like_credit(text: str, today: date) -> bool:
    """Letters among the first 17 characters: a credit code unless it reads as a mistyped resident ID."""
    if text[0] in "ANY" or sum(not c.isdigit() for c in text[:17]) >= 2:
        return True
    department = CREDIT_DEPARTMENTS.get(text[0])
    if department is None or text[1] not in department[1]:
        return False
    from app.divisions import division_table

    if text[2:8] not in division_table():
        return False
    # A resident ID with one stray letter still has a real birth date at 7–14; a credit code has an
    # organisation code there, which almost never reads as a date.
    return not _birth_like(text[6:14], today)


def _credit(shown: str, text: str) -> IdCheck:
    errors: list[str] = []
    warnings: list[str] = []
    for index, char in enumerate(text, start=1):
        if char not in _CREDIT_VALUE:
            return IdCheck(shown, False, "credit_code", text,
                           errors=(f"统一社会信用代码不能含字母 I、O、S、V、Z：第 {index} 位是 {char}",))
    department = CREDIT_DEPARTMENTS.get(text[0])
    org_type: str | None = None
    if department is None:
        errors.append(f"统一社会信用代码第 1 位（登记管理部门）{text[0]} 无效")
    else:
        kind = department[1].get(text[1])
        if kind is None:
            warnings.append(f"统一社会信用代码第 2 位（机构类别）{text[1]} 不在{department[0]}部门的类别中")
            org_type = department[0]
        else:
            org_type = f"{department[0]}：{kind}"
    division = text[2:8]
    code: str | None = division
    name: str | None = None
    if not division.isdigit():
        errors.append(f"统一社会信用代码第 3–8 位（登记管理机关行政区划码）应为数字：{division}")
        code = None
    else:
        code, name = _region(division, None, warnings)
    if org_check_char(text[8:16]) != text[16]:
        warnings.append(f"第 9–17 位组织机构代码的校验位应为 {org_check_char(text[8:16])}，请核对")
    expected = credit_check_char(text[:17])
    if text[17] != expected:
        errors.append(f"统一社会信用代码校验位错误：应为 {expected}")
    return IdCheck(shown, not errors, "credit_code", text, None, None, code, name,
                   tuple(errors), tuple(warnings), organisation_type=org_type)
