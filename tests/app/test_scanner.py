"""Telling a scanner burst from typing, and recognising what was scanned."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from app.case_no import CaseNo, format_case_no
from app.devices.scanner import BurstDetector, parse_ticket_qr, recognise, ticket_qr_payload
from app.devices.simulator import with_check_digit
from app.errors import ValidationError
from app.store import Store
from printing import samples
from printing.documents import render
from tests.printing.pdf_tools import REPO_ROOT, add_case, render_page, seed_hall

TODAY = date(2026, 12, 7)  # the hall's day the scans happen on
GOOD_ID = with_check_digit("15092919900307122")
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
CASE_NO = format_case_no("150929", date(2026, 11, 22), 3, 7)  # 1509292611220300074
LEGACY_NO = CASE_NO[:18]  # the same acceptance before the check digit, as old receipts print it


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
    s = recognise(GOOD_ID + "\r\n", today=TODAY)
    assert (s.kind, s.value, s.ok) == ("id_number", GOOD_ID, True)
    assert s.id_check.birth_date == date(1990, 3, 7)


def test_an_id_with_a_wrong_check_digit_is_flagged_not_accepted() -> None:
    s = recognise(BAD_ID, today=TODAY)
    assert s.kind == "id_number" and not s.ok
    assert "校验位" in s.message and s.message.startswith("扫描到的证件号码未通过校验")


def test_lower_case_x_and_old_15_digit_numbers() -> None:
    x_id = next(with_check_digit(f"1509291990030712{i}") for i in range(10)
                if with_check_digit(f"1509291990030712{i}").endswith("X"))  # fmt: skip
    s = recognise(x_id.lower(), today=TODAY)
    assert (s.kind, s.value, s.ok) == ("id_number", x_id, True)
    full_width = GOOD_ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert recognise(full_width, today=TODAY).value == GOOD_ID
    old = recognise("150929900307122", today=TODAY)
    assert old.kind == "id_number" and old.value == GOOD_ID


def test_a_19_digit_case_number_with_its_check_digit() -> None:
    s = recognise(CASE_NO + "\r", today=TODAY)
    assert (s.kind, s.value, s.ok) == ("case_no", CASE_NO, True)
    assert s.case_no == CaseNo(CASE_NO, "current")
    assert s.to_json()["form"] == "current" and s.to_json()["spoken"] == "150929 261122 03 0007 4"
    assert recognise("150929 261122 03 0007 4", today=TODAY).case_no == CaseNo(CASE_NO, "current")
    bad = recognise(CASE_NO[:-1] + "5", today=TODAY)
    assert bad.kind == "case_no" and not bad.ok and bad.case_no is None and "校验位不符" in bad.message


def test_an_old_18_digit_case_number() -> None:
    s = recognise(LEGACY_NO, today=TODAY)
    assert (s.kind, s.value, s.ok) == ("case_no", LEGACY_NO, True)
    assert s.case_no == CaseNo(LEGACY_NO, "legacy") and "旧式 18 位受理编号" in s.message
    assert s.to_json()["form"] == "legacy"
    # Dated after the hall's today it cannot have been printed yet: an ID number failing its check.
    early = recognise(LEGACY_NO, today=date(2026, 11, 21))
    assert early.kind == "id_number" and not early.ok and "校验" in early.message


def test_the_halls_own_case_numbers_are_tried_first() -> None:
    # An 18-digit number that is also a valid ID number: the store knows it as a case, so it is one.
    asked: list[str] = []

    def known(digits: str) -> bool:
        asked.append(digits)
        return digits == GOOD_ID

    s = recognise(GOOD_ID, today=TODAY, is_case_no=known)
    assert (s.kind, s.value, s.case_no) == ("case_no", GOOD_ID, CaseNo(GOOD_ID, "legacy")) and asked == [GOOD_ID]
    assert recognise(GOOD_ID, today=TODAY, is_case_no=lambda _d: False).kind == "id_number"
    # Only 18 digits ask the store: a 19-digit number carries its own check.
    recognise(CASE_NO, today=TODAY, is_case_no=known)
    assert asked == [GOOD_ID]


def test_a_childs_mistyped_id_is_not_taken_for_an_old_case_number() -> None:
    child = with_check_digit("15092920100305123")  # born 2010-03-05; as a case number it would read 2020-10-03
    typo = child[:17] + ("0" if child[17] != "0" else "1")
    s = recognise(typo, today=TODAY)
    assert s.kind == "id_number" and not s.ok and "校验位" in s.message


def test_other_digit_runs_are_not_case_numbers() -> None:
    for text in ("15092920261122010001", "ab12cd34", "1509292611220300"):
        s = recognise(text, today=TODAY)
        assert s.kind == "unknown" and not s.ok, text


def test_ticket_qr_round_trip() -> None:
    text = ticket_qr_payload(hall_code="150929", service_date=date(2026, 11, 22), code="A012", ticket_id=345)
    assert text == "ZCT:150929:20261122:A012:345"
    s = recognise(text, today=TODAY)
    assert (s.kind, s.value, s.ok) == ("ticket", "A012", True)
    assert s.ticket is not None and s.ticket.ticket_id == 345 and s.ticket.service_date == date(2026, 11, 22)
    as_json = json.dumps({"kind": "ticket", "hall_code": "150929", "service_date": "2026-11-22",
                          "code": "A012", "ticket_id": 345})  # fmt: skip
    assert parse_ticket_qr(as_json) == s.ticket


def test_mangled_ticket_qr_is_reported() -> None:
    s = recognise("ZCT:150929:20261341:A012:345", today=TODAY)
    assert s.kind == "ticket" and not s.ok and "日期无效" in s.message
    assert not recognise("ZCT:broken", today=TODAY).ok
    with pytest.raises(ValidationError):
        ticket_qr_payload(hall_code="15 09", service_date=date(2026, 1, 1), code="A1", ticket_id=1)


def test_e_license_url_with_an_id_number() -> None:
    s = recognise(f"https://zwfw.nmg.gov.cn/elicense/verify?type=hkb&sfzh={GOOD_ID}&t=171", today=TODAY)
    assert (s.kind, s.id_number, s.ok) == ("e_license", GOOD_ID, True)


def test_e_license_json_prefers_the_holder_key() -> None:
    payload = {"licenseNo": "110105201700012345", "holder": {"name": "张三", "idNumber": GOOD_ID}, "ver": 2}
    s = recognise(json.dumps(payload, ensure_ascii=False), today=TODAY)
    assert (s.kind, s.id_number, s.ok) == ("e_license", GOOD_ID, True)


def test_e_license_with_a_bad_id_and_without_any() -> None:
    bad = recognise(f'{{"zjhm": "{BAD_ID}"}}', today=TODAY)
    assert bad.kind == "e_license" and not bad.ok and "校验位" in bad.message
    none = recognise("https://example.gov.cn/license/abc", today=TODAY)
    assert none.kind == "e_license" and none.id_number == "" and "没有证件号码" in none.message


def test_unknown_and_empty() -> None:
    assert recognise("hello world!", today=TODAY).kind == "unknown"
    empty = recognise(" \r\n", today=TODAY)
    assert empty.kind == "unknown" and not empty.ok and empty.message == "扫描内容为空"


def test_credit_code_is_an_id_number() -> None:
    s = recognise("91150929MA0N123450", today=TODAY)
    assert s.kind == "id_number" and s.id_check.kind == "credit_code"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_recognise_never_crashes(text: str) -> None:
    s = recognise(text, today=TODAY)
    assert s.kind in ("id_number", "case_no", "ticket", "e_license", "unknown")
    assert s.ok or s.message
    json.dumps(s.to_json(), ensure_ascii=False)


# --- a printed receipt, scanned back ------------------------------------------------------------------------


def receipt_png(case_no: str, path: Path) -> Path:
    """A 受理通知书 rendered as printed, rasterised by pdftoppm at 200 dpi (what a flatbed or a phone sees)."""
    pdf = render("receipt", dataclasses.replace(samples.person_normal(), case_no=case_no))
    render_page(pdf, 1, dpi=200).save(path)
    return path


@pytest.mark.parametrize(("number", "form"), [(samples.person_normal().case_no, "current"),
                                              ("150929260309010012", "legacy")], ids=["current", "legacy"])
def test_a_receipts_barcode_is_recognised_as_its_case_number(tmp_path: Path, number: str, form: str) -> None:
    png = receipt_png(number, tmp_path / "receipt.png")
    with Image.open(png) as image:
        codes = {c.format.name: c.text for c in zxingcpp.read_barcodes(image)}
    assert codes["Code128"] == number
    s = recognise(codes["Code128"], today=TODAY)
    assert (s.kind, s.ok, s.case_no) == ("case_no", True, CaseNo(number, form))  # type: ignore[arg-type]
    # A 2D scanner reads the document QR beside it: the same case, in the same form.
    q = recognise(codes["QRCode"], today=TODAY)
    assert (q.kind, q.ok, q.case_no) == ("case_no", True, CaseNo(number, form))  # type: ignore[arg-type]


def test_a_document_qr_with_a_mistyped_case_number_is_refused() -> None:
    s = recognise("ZCV1|1509292603090100120|150929|2026-03-09|9d74717992e6", today=TODAY)
    assert (s.kind, s.ok) == ("case_no", False) and "校验位" in s.message


def test_cli_scan_image_of_a_receipt_says_case_no_and_its_form(tmp_path: Path) -> None:
    png = receipt_png(samples.person_normal().case_no, tmp_path / "receipt.png")
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), ZC_CLOCK_AT="2026-03-09T16:00:00+08:00")
    done = subprocess.run([sys.executable, "-m", "app", "scan", "image", str(png), "--json"], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = {c["format"]: c["recognised"] for c in json.loads(done.stdout)["codes"]}
    assert found["Code128"]["kind"] == "case_no" and found["Code128"]["form"] == "current"
    assert found["Code128"]["spoken"] == "150929 260309 01 0012 9"


def test_cli_scan_asks_the_store_named_by_db(tmp_path: Path, sqlite_store: Store, sqlite_url: str) -> None:
    """A legacy receipt of a case the store holds is read as that case even when the digits pass as an ID."""
    version = seed_hall(sqlite_store)
    add_case(sqlite_store, version, case_no=GOOD_ID)  # contrived: a stored number that is also a valid ID number
    png = receipt_png(GOOD_ID, tmp_path / "receipt.png")
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    args = [sys.executable, "-m", "app", "scan", "image", str(png), "--json"]
    plain = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    bar = next(c for c in json.loads(plain.stdout)["codes"] if c["format"] == "Code128")
    assert bar["recognised"]["kind"] == "id_number", plain.stderr
    with_db = subprocess.run([*args, "--db", sqlite_url], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                             timeout=120)  # fmt: skip
    recognised = next(c for c in json.loads(with_db.stdout)["codes"] if c["format"] == "Code128")["recognised"]
    assert (recognised["kind"], recognised["form"]) == ("case_no", "legacy"), with_db.stderr
