"""The 受理编号 itself: the Damm check digit, the 19-digit form, old 18-digit numbers, and what a typo looks like."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.case_no import (
    CHECK_DIGIT_MESSAGE,
    CaseNo,
    damm_check_digit,
    damm_valid,
    format_case_no,
    normalize_case_no,
    plausible_legacy_case_no,
    read_case_no,
    speak_case_no,
)
from app.devices.simulator import with_check_digit
from app.errors import StateError, ValidationError

SAMPLE = format_case_no("150929", dt.date(2026, 11, 22), 3, 7)
LEGACY = "150929261122030007"  # what the same acceptance was numbered before the check digit


def test_damm_known_vectors() -> None:
    assert damm_check_digit("572") == "4"  # Damm (2004), the worked example
    assert damm_valid("5724") and not damm_valid("5723")
    with pytest.raises(ValueError):
        damm_check_digit("57a")


def test_the_new_form_is_the_old_18_digits_and_their_check_digit() -> None:
    assert SAMPLE == LEGACY + "4" and len(SAMPLE) == 19
    assert speak_case_no(SAMPLE) == "150929 261122 03 0007 4"
    number = normalize_case_no(SAMPLE)
    assert number == CaseNo(SAMPLE, "current") and number.form_label == "受理编号"
    assert (number.hall_code, number.day, number.window_number, number.sequence) == (
        "150929", dt.date(2026, 11, 22), 3, 7)


def test_both_forms_typed_with_spaces_dashes_and_full_width_digits() -> None:
    full_width = SAMPLE.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    for typed in ("150929 261122 03 0007 4", "150929-261122-03-0007-4", f" {SAMPLE} ", full_width,
                  "150929\u3000261122\u300003\u30000007\u30004"):
        assert normalize_case_no(typed) == CaseNo(SAMPLE, "current"), typed
    legacy = normalize_case_no("150929 261122 03 0007")
    assert legacy == CaseNo(LEGACY, "legacy")
    assert legacy.spoken == "150929 261122 03 0007" and legacy.form_label == "旧式 18 位受理编号"


def test_every_single_digit_error_and_adjacent_transposition_is_caught() -> None:
    for i, digit in enumerate(SAMPLE):
        for other in "0123456789":
            if other != digit:
                typo = SAMPLE[:i] + other + SAMPLE[i + 1:]
                with pytest.raises(ValidationError, match="校验位不符"):
                    normalize_case_no(typo)
    for i in range(len(SAMPLE) - 1):
        if SAMPLE[i] != SAMPLE[i + 1]:
            swapped = SAMPLE[:i] + SAMPLE[i + 1] + SAMPLE[i] + SAMPLE[i + 2:]
            with pytest.raises(ValidationError) as info:
                normalize_case_no(swapped)
            assert info.value.message == CHECK_DIGIT_MESSAGE and info.value.field == "case_no"


@given(st.from_regex(r"\A[0-9]{18}\Z"), st.integers(0, 17), st.integers(1, 9))
def test_damm_catches_any_single_digit_error(body: str, at: int, shift: int) -> None:
    number = body + damm_check_digit(body)
    typo = number[:at] + str((int(number[at]) + shift) % 10) + number[at + 1:]
    assert damm_valid(number) and not damm_valid(typo)


def test_wrong_lengths_and_parts_say_what_is_wrong() -> None:
    with pytest.raises(ValidationError, match="19 位数字（旧式为 18 位）"):
        normalize_case_no("15092926112203")
    with pytest.raises(ValidationError, match="19 位"):
        normalize_case_no("巴特尔")
    with pytest.raises(ValidationError, match="不是有效日期"):
        normalize_case_no("150929261322030007")  # month 13
    month_13 = "150929261322030007"
    with pytest.raises(ValidationError, match="不是有效日期"):
        normalize_case_no(month_13 + damm_check_digit(month_13))
    with pytest.raises(ValidationError, match="窗口号"):
        normalize_case_no("150929261122000007")
    with pytest.raises(ValidationError, match="流水号"):
        normalize_case_no("150929261122030000")


def test_read_case_no_tells_a_number_from_a_name_or_an_id() -> None:
    assert read_case_no("150929 261122 03 0007 4") == CaseNo(SAMPLE, "current")
    assert read_case_no(LEGACY) == CaseNo(LEGACY, "legacy")
    assert read_case_no("巴特尔") is None
    assert read_case_no("150929199001011234") is None  # an ID number: 1990 is no yymmdd
    with pytest.raises(ValidationError, match="校验位不符"):
        read_case_no(SAMPLE[:-1] + "5")  # only a 受理编号 has 19 digits: the typo is reported, not searched


def test_format_refuses_bad_parts() -> None:
    with pytest.raises(ValidationError, match="大厅编码"):
        format_case_no("15092", dt.date(2026, 1, 1), 1, 1)
    with pytest.raises(ValidationError, match="窗口号"):
        format_case_no("150929", dt.date(2026, 1, 1), 100, 1)
    with pytest.raises(StateError, match="已用完"):
        format_case_no("150929", dt.date(2026, 1, 1), 1, 10000)


def test_a_plausible_legacy_number() -> None:
    today = dt.date(2026, 12, 7)
    assert plausible_legacy_case_no(LEGACY, today=today)
    assert not plausible_legacy_case_no(LEGACY, today=dt.date(2026, 11, 21))  # dated after the hall's today
    assert not plausible_legacy_case_no("150929261122000007", today=today)  # window 00
    assert not plausible_legacy_case_no("150929261122030000", today=today)  # sequence 0
    assert not plausible_legacy_case_no(SAMPLE, today=today)  # 19 digits
    # A child's ID number (born 2010-03-05) reads as 2020-10-03, window 05: 2019/2020 are birth centuries, and
    # no 受理编号 was issued then, so such a number is never taken for one.
    child = with_check_digit("15092920100305123")
    assert not plausible_legacy_case_no(child, today=today)
