"""ID number checks: every kind, every error a clerk can meet, and arbitrary text never raising.

Numbers are built here by computing check digits over made-up bodies; none belongs to a real person.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.divisions import division_table, region_name
from app.identity import (
    CREDIT_CHARS,
    check_id,
    credit_check_char,
    id_check_digit,
    normalize_id_text,
    org_check_char,
    upgrade_15,
)

TODAY = date(2026, 11, 22)


def resident(region: str = "150929", born: str = "19900307", seq: str = "123") -> str:
    body = region + born + seq
    return body + id_check_digit(body)


def credit(dept_type: str = "91", division: str = "150929", org8: str = "MA0N0001") -> str:
    body = dept_type + division + org8 + org_check_char(org8)
    return body + credit_check_char(body)


def wrong_last(number: str, alphabet: str = "0123456789X") -> str:
    return number[:-1] + next(c for c in alphabet if c != number[-1])


# ---- check digits -----------------------------------------------------------------------------------------


def test_gb11643_check_digit_matches_the_standard_example() -> None:
    # The worked example in GB 11643-1999 appendix: 11010519491231002 → X.
    assert id_check_digit("11010519491231002") == "X"
    assert check_id("11010519491231002X", today=TODAY).valid


def test_every_check_value_maps_per_the_standard() -> None:
    seen = {}
    for seq in range(100, 200):
        number = resident(seq=str(seq))
        body = number[:17]
        total = sum(int(c) * w for c, w in zip(body, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True))
        seen[total % 11] = number[17]
    assert seen == dict(enumerate("10X98765432"))


def test_valid_resident_id_reports_birth_gender_and_region() -> None:
    result = check_id(resident(seq="123"), today=TODAY)
    assert result.valid and result.kind == "resident"
    assert result.birth_date == date(1990, 3, 7)
    assert result.gender == "男"
    assert result.region_code == "150929"
    assert result.region_name == "内蒙古自治区乌兰察布市四子王旗"
    assert result.errors == () and result.warnings == ()
    assert check_id(resident(seq="124"), today=TODAY).gender == "女"


def test_inner_mongolia_codes_resolve_fully() -> None:
    assert region_name("150102") == "内蒙古自治区呼和浩特市新城区"
    assert region_name("152502") == "内蒙古自治区锡林郭勒盟锡林浩特市"
    assert region_name("150727") == "内蒙古自治区呼伦贝尔市新巴尔虎右旗"
    assert region_name("152921") == "内蒙古自治区阿拉善盟阿拉善左旗"
    leagues_and_cities = [c for c in ("150100", "150200", "150300", "150400", "150500", "150600", "150700",
                                      "150800", "150900", "152200", "152500", "152900")]
    for code in leagues_and_cities:
        assert code in division_table()


def test_wrong_check_digit_names_the_expected_one() -> None:
    good = resident()
    result = check_id(wrong_last(good), today=TODAY)
    assert not result.valid
    assert result.errors == (f"身份证号码校验位错误：应为 {good[-1]}",)


def test_x_check_digit_lowercase_and_fullwidth() -> None:
    number = next(n for n in (resident(seq=f"{s:03d}") for s in range(1000)) if n.endswith("X"))
    assert check_id(number.lower(), today=TODAY).valid
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in number)  # １５０… and Ｘ
    result = check_id(fullwidth, today=TODAY)
    assert result.valid and result.normalized == number
    assert check_id(f" {number[:6]}-{number[6:14]} {number[14:]} ", today=TODAY).normalized == number


def test_normalize_id_text() -> None:
    assert normalize_id_text("１５０９ ２９－x\u3000") == "150929X"
    assert normalize_id_text("a-b—c") == "ABC"


# ---- error paths ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "证件号码为空"),
        ("   -- ", "证件号码为空"),
        ("15092919900307123", "长度应为 18 位，实际 17 位"),
        ("1509291990030712345", "长度应为 18 位，实际 19 位"),
        ("12345", "长度应为 18 位，实际 5 位"),
        ("15092919900307😀23", "证件号码含有无效字符“😀”（第 15 位）"),
        ("1509291990030712。3", "证件号码含有无效字符“。”（第 17 位）"),
        ("ABCDEFG", "证件号码长度应为 18 位（统一社会信用代码也是 18 位），实际 7 位"),
        ("x" * 10_000, "证件号码过长：10000 个字符，身份证号码应为 18 位"),
    ],
)
def test_nonsense_input_is_invalid_with_one_line_reason(text: str, error: str) -> None:
    result = check_id(text, today=TODAY)
    assert not result.valid and result.kind == "unknown"
    assert result.errors == (error,)
    assert "\n" not in result.errors[0]
    assert len(result.input) <= 41  # a huge paste is not echoed back whole


def test_impossible_birth_date() -> None:
    result = check_id(resident(born="19990230"), today=TODAY)
    assert not result.valid
    assert result.errors == ("出生日期不存在：19990230",)
    assert result.birth_date is None


def test_birth_date_in_future_or_before_1900() -> None:
    assert check_id(resident(born="20261123"), today=TODAY).errors == ("出生日期不能晚于今天：20261123",)
    assert check_id(resident(born="20261122"), today=TODAY).valid
    assert check_id(resident(born="18991231"), today=TODAY).errors == ("出生日期早于 1900 年：18991231",)


def test_letter_in_the_wrong_place() -> None:
    number = resident()
    bad = number[:11] + "A" + number[12:]
    result = check_id(bad, today=TODAY)
    assert not result.valid and result.kind == "resident"
    assert result.errors == ("身份证号码第 12 位应为数字，实际是 A",)
    result = check_id(number[:17] + "Y", today=TODAY)
    assert not result.valid


def test_unknown_or_retired_division_is_a_warning_not_an_error() -> None:
    unknown = check_id(resident(region="150999"), today=TODAY)
    assert unknown.valid
    assert unknown.region_name is None
    assert unknown.warnings and "150999 未收录" in unknown.warnings[0]
    # 152129 新巴尔虎右旗 (呼伦贝尔盟) was replaced by 150727 in 2001: fine for someone born in 1990 …
    old = check_id(resident(region="152129", born="19900101"), today=TODAY)
    assert old.valid and old.warnings == ()
    assert old.region_name == "内蒙古自治区呼伦贝尔盟新巴尔虎右旗"
    # … surprising for someone born in 2005, but genuine late registrations exist: still valid, with a warning.
    late = check_id(resident(region="152129", born="20050101"), today=TODAY)
    assert late.valid and "已于 2001 年停用" in late.warnings[0]


def test_province_that_does_not_exist_is_an_error() -> None:
    result = check_id(resident(region="001234"), today=TODAY)
    assert not result.valid
    assert "行政区划代码前两位 00 不是省级代码" in result.errors


# ---- 15 → 18 ----------------------------------------------------------------------------------------------


def test_fifteen_digit_number_is_upgraded() -> None:
    result = check_id("150929900307123", today=TODAY)
    assert result.valid and result.kind == "resident15"
    assert result.normalized == resident(born="19900307", seq="123")
    assert result.birth_date == date(1990, 3, 7) and result.gender == "男"
    assert result.region_name == "内蒙古自治区乌兰察布市四子王旗"
    assert check_id(result.normalized, today=TODAY).valid
    assert upgrade_15("110105491231002") == "11010519491231002X"


def test_fifteen_digit_with_bad_date() -> None:
    result = check_id("150929990230123", today=TODAY)
    assert not result.valid and result.errors == ("出生日期不存在：19990230",)


# ---- 港澳台居民居住证 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "place"), [("810000", "香港"), ("820000", "澳门"), ("830000", "台湾")])
def test_hmt_residence_permit(prefix: str, place: str) -> None:
    number = resident(region=prefix, born="19851201", seq="002")
    result = check_id(number, today=TODAY)
    assert result.valid and result.kind == "hmt_permit"
    assert result.region_name == place and result.gender == "女"
    bad = check_id(wrong_last(number), today=TODAY)
    assert not bad.valid and bad.errors[0].startswith("港澳台居民居住证号码校验位错误：应为")


# ---- 外国人永久居留身份证 ----------------------------------------------------------------------------------


def test_foreign_permanent_residence_2023_form() -> None:
    body = "9" + "15" + "156" + "19850701" + "123"  # issued in 内蒙古, country code 156 as a placeholder
    number = body + id_check_digit(body)
    result = check_id(number, today=TODAY)
    assert result.valid and result.kind == "foreign_pr"
    assert result.birth_date == date(1985, 7, 1)
    assert result.region_name == "内蒙古自治区" and result.nationality == "156"
    bad = check_id(wrong_last(number), today=TODAY)
    assert bad.kind == "foreign_pr" or not bad.valid
    assert not bad.valid


def test_foreign_permanent_residence_old_form() -> None:
    result = check_id("usa150903071234", today=TODAY)
    assert result.valid and result.kind == "foreign_pr_old"
    assert result.normalized == "USA150903071234" and result.nationality == "USA"
    assert result.region_name == "内蒙古自治区"
    odd_date = check_id("USA150902301234", today=TODAY)  # layout unconfirmed: warn, never refuse
    assert odd_date.valid and "第 6–11 位不是有效的出生日期：090230" in odd_date.warnings[1]
    assert not check_id("US1150903071234", today=TODAY).valid
    broken = check_id("USA1509030712B4", today=TODAY)
    assert not broken.valid and "第 14 位是 B" in broken.errors[0]


# ---- 统一社会信用代码 -------------------------------------------------------------------------------------


def test_credit_code_valid_with_region_and_type() -> None:
    code = credit()
    result = check_id(code, today=TODAY)
    assert result.valid and result.kind == "credit_code"
    assert result.region_name == "内蒙古自治区乌兰察布市四子王旗"
    assert result.organisation_type == "市场监管（工商）：企业"
    assert result.birth_date is None and result.gender is None
    assert check_id(code.lower(), today=TODAY).valid


def test_credit_code_check_char_error() -> None:
    code = credit("52", "150000", "12345678")
    result = check_id(wrong_last(code, CREDIT_CHARS), today=TODAY)
    assert not result.valid
    assert result.errors == (f"统一社会信用代码校验位错误：应为 {code[-1]}",)


def test_credit_code_forbidden_letters_and_unknown_division() -> None:
    code = credit()
    result = check_id(code[:10] + "O" + code[11:], today=TODAY)
    assert not result.valid and "不能含字母 I、O、S、V、Z：第 11 位是 O" in result.errors[0]
    unknown = check_id(credit("93", "150999", "MA0N0002"), today=TODAY)
    assert unknown.valid and "150999 未收录" in unknown.warnings[0]


def test_all_digit_credit_code_starting_with_9_is_not_taken_for_a_foreign_card() -> None:
    for serial in range(10_000_000, 10_000_060):
        code = credit("91", "150929", str(serial))
        if code[:17].isdigit() and code[17].isdigit():
            result = check_id(code, today=TODAY)
            assert result.valid and result.kind == "credit_code", code
            return
    pytest.fail("no all-digit credit code in the sample")


# ---- properties -------------------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_on_any_text(text: str) -> None:
    result = check_id(text, today=TODAY)
    assert isinstance(result.valid, bool)
    assert result.valid == (not result.errors)
    assert all("\n" not in e for e in result.errors)
    if result.valid:
        again = check_id(result.normalized, today=TODAY)
        assert again.valid and again.normalized == result.normalized


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789Xx-１２３Ｘ ", min_size=14, max_size=20))
def test_digit_like_text_valid_normalized_rechecks(text: str) -> None:
    result = check_id(text, today=TODAY)
    if result.valid:
        assert check_id(result.normalized, today=TODAY).valid
        assert result.kind != "unknown"


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["150929", "110105", "152129", "650102", "810000"]),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)
def test_built_numbers_are_valid_and_one_changed_digit_is_caught(region: str, born: date, seq: int) -> None:
    number = resident(region, born.strftime("%Y%m%d"), f"{seq:03d}")
    result = check_id(number, today=TODAY)
    assert result.valid and result.birth_date == born
    assert result.gender == ("男" if seq % 2 else "女")
    changed = number[:16] + str((int(number[16]) + 1) % 10) + number[17]
    assert not check_id(changed, today=TODAY).valid


def test_never_raises_on_non_str() -> None:
    assert not check_id(None, today=TODAY).valid  # type: ignore[arg-type]
    assert not check_id(12345, today=TODAY).valid  # type: ignore[arg-type]


def test_import_app_identity_does_not_load_divisions_or_qt() -> None:
    code = (
        "import sys, app.identity, app.workdays, app.divisions;"
        "assert 'PySide6' not in sys.modules;"
        "assert app.divisions.division_table.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_only_ascii_letters_are_upper_cased() -> None:
    code = credit()
    assert code[10] not in "F"
    with_ligature = code[:10] + "ﬀ" + code[12:]  # "ﬀ".upper() would be "FF"
    result = check_id(with_ligature, today=TODAY)
    assert not result.valid and "无效字符“ﬀ”" in result.errors[0]
