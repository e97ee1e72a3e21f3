"""Telling a scanner burst from typing, and recognising what was scanned."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.devices.scanner import BurstDetector, parse_ticket_qr, recognise, ticket_qr_payload
from app.devices.simulator import with_check_digit
from app.errors import ValidationError

GOOD_ID = with_check_digit("15092919900307122")
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")


def feed(
    detector: BurstDetector, text: str, *, gap_ms: float, start: float = 0.0, enter_gap: float | None = None
):
    t = start
    for ch in text:
        detector.key(ch, t)
        t += gap_ms
    return detector.enter(t - gap_ms + (gap_ms if enter_gap is None else enter_gap))


def test_scanner_pace_is_a_burst() -> None:
    burst = feed(BurstDetector(), GOOD_ID, gap_ms=4)
    assert burst is not None and burst.text == GOOD_ID and burst.start == 0


def test_typing_pace_is_not_a_burst() -> None:
    assert feed(BurstDetector(), GOOD_ID, gap_ms=90) is None
    assert feed(BurstDetector(), GOOD_ID, gap_ms=35) is None  # just slower than a scanner


def test_too_short_is_not_a_burst() -> None:
    assert feed(BurstDetector(), "12345", gap_ms=3) is None
    assert feed(BurstDetector(), "123456", gap_ms=3) is not None


def test_typed_prefix_then_scan_reports_only_the_scan() -> None:
    det = BurstDetector()
    for i, ch in enumerate("ab"):
        det.key(ch, i * 200.0)
    burst = feed(det, "A012XYZ", gap_ms=5, start=1000.0)
    assert burst is not None and burst.text == "A012XYZ" and burst.start == 2


def test_one_jittery_key_does_not_break_a_burst_but_a_pause_does() -> None:
    det = BurstDetector()
    times = [0, 5, 10, 60, 65, 70, 75, 80]  # one 50 ms hiccup, mean still scanner-fast
    for ch, t in zip("12345678", times, strict=True):
        det.key(ch, t)
    assert det.enter(85).text == "12345678"  # type: ignore[union-attr]
    for ch, t in zip("12345678", [0, 5, 10, 400, 405, 410, 415, 420], strict=True):
        det.key(ch, t)
    assert det.enter(425) is None  # after the pause only 5 fast keys remain


def test_slow_enter_after_fast_keys_is_typing() -> None:
    assert feed(BurstDetector(), GOOD_ID, gap_ms=4, enter_gap=500) is None


def test_backspace_ends_a_run() -> None:
    det = BurstDetector()
    for i, ch in enumerate("1234567"):
        det.key(ch, i * 4.0)
    det.backspace(30)
    assert det.enter(34) is None


def test_recognises_a_valid_id_number() -> None:
    s = recognise(GOOD_ID + "\r\n")
    assert (s.kind, s.value, s.ok) == ("id_number", GOOD_ID, True)
    assert s.id_check.birth_date == date(1990, 3, 7)


def test_an_id_with_a_wrong_check_digit_is_flagged_not_accepted() -> None:
    s = recognise(BAD_ID)
    assert s.kind == "id_number" and not s.ok
    assert "校验位" in s.message and s.message.startswith("扫描到的证件号码未通过校验")


def test_lower_case_x_and_old_15_digit_numbers() -> None:
    x_id = next(with_check_digit(f"1509291990030712{i}") for i in range(10)
                if with_check_digit(f"1509291990030712{i}").endswith("X"))  # fmt: skip
    s = recognise(x_id.lower())
    assert (s.kind, s.value, s.ok) == ("id_number", x_id, True)
    full_width = GOOD_ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert recognise(full_width).value == GOOD_ID
    old = recognise("150929900307122")
    assert old.kind == "id_number" and old.value == GOOD_ID


def test_case_numbers() -> None:
    s = recognise("15092920261122010001")
    assert (s.kind, s.value, s.ok) == ("case_no", "15092920261122010001", True)
    assert recognise("ab12cd34").kind == "case_no"  # printed case numbers may be read back in lower case


def test_ticket_qr_round_trip() -> None:
    text = ticket_qr_payload(hall_code="150929", service_date=date(2026, 11, 22), code="A012", ticket_id=345)
    assert text == "ZCT:150929:20261122:A012:345"
    s = recognise(text)
    assert (s.kind, s.value, s.ok) == ("ticket", "A012", True)
    assert s.ticket is not None and s.ticket.ticket_id == 345 and s.ticket.service_date == date(2026, 11, 22)
    as_json = json.dumps({"kind": "ticket", "hall_code": "150929", "service_date": "2026-11-22",
                          "code": "A012", "ticket_id": 345})  # fmt: skip
    assert parse_ticket_qr(as_json) == s.ticket


def test_mangled_ticket_qr_is_reported() -> None:
    s = recognise("ZCT:150929:20261341:A012:345")
    assert s.kind == "ticket" and not s.ok and "日期无效" in s.message
    assert not recognise("ZCT:broken").ok
    with pytest.raises(ValidationError):
        ticket_qr_payload(hall_code="15 09", service_date=date(2026, 1, 1), code="A1", ticket_id=1)


def test_e_license_url_with_an_id_number() -> None:
    s = recognise(f"https://zwfw.nmg.gov.cn/elicense/verify?type=hkb&sfzh={GOOD_ID}&t=171")
    assert (s.kind, s.id_number, s.ok) == ("e_license", GOOD_ID, True)


def test_e_license_json_prefers_the_holder_key() -> None:
    payload = {"licenseNo": "110105201700012345", "holder": {"name": "张三", "idNumber": GOOD_ID}, "ver": 2}
    s = recognise(json.dumps(payload, ensure_ascii=False))
    assert (s.kind, s.id_number, s.ok) == ("e_license", GOOD_ID, True)


def test_e_license_with_a_bad_id_and_without_any() -> None:
    bad = recognise(f'{{"zjhm": "{BAD_ID}"}}')
    assert bad.kind == "e_license" and not bad.ok and "校验位" in bad.message
    none = recognise("https://example.gov.cn/license/abc")
    assert none.kind == "e_license" and none.id_number == "" and "没有证件号码" in none.message


def test_unknown_and_empty() -> None:
    assert recognise("hello world!").kind == "unknown"
    empty = recognise(" \r\n")
    assert empty.kind == "unknown" and not empty.ok and empty.message == "扫描内容为空"


def test_credit_code_is_an_id_number() -> None:
    s = recognise("91150929MA0N123450")
    assert s.kind == "id_number" and s.id_check.kind == "credit_code"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_recognise_never_crashes(text: str) -> None:
    s = recognise(text)
    assert s.kind in ("id_number", "case_no", "ticket", "e_license", "unknown")
    assert s.ok or s.message
    json.dumps(s.to_json(), ensure_ascii=False)
