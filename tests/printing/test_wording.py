"""What the papers say and how: the addressee by applicant kind, numbered sections, nothing to collect on a
refusal, the 说明 column said once, paragraphs indented 2 em, one quotation style, the full ID only where the
applicant signs, and the QR as the hall's phone link that the counter's scanner still reads."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from app.devices.scanner import recognise
from printing import samples
from printing.data import CaseDoc, check_verification, document_qr_text, verification_payload
from printing.documents import applicable, render
from printing.parts import FULL_ID_DOCUMENTS
from tests.printing.pdf_tools import decode, pdf_text, render_page

SAMPLES = {"person_normal": samples.person_normal, "organisation_mixed": samples.organisation_mixed,
           "person_supplement": samples.person_supplement, "person_refused": samples.person_refused}
CASES = [(name, doc) for name, make in SAMPLES.items() for doc in applicable(make())]


def _text(pdf: bytes) -> str:
    return "".join(pdf_text(pdf).split())


@pytest.mark.parametrize(("sample", "doc"), CASES, ids=[f"{s}-{d}" for s, d in CASES])
def test_addressee_quotes_and_id_by_document(sample: str, doc: str) -> None:
    data = SAMPLES[sample]()
    text = _text(render(doc, data))
    assert "您（单位）" not in text
    if "您单位" in text:
        assert data.applicant.is_organisation
    assert '"' not in text and "「" not in text  # one quotation style: “ ”
    if not (data.applicant.is_organisation or doc in FULL_ID_DOCUMENTS):
        assert data.applicant.id_no not in text, f"{doc} prints the full ID number"
    proxy = data.applicant.proxy_id_no
    if proxy:
        assert proxy not in text  # an agent's ID is masked on every paper


def test_person_and_organisation_are_addressed_each_their_way() -> None:
    assert "您于2026年3月9日提交的" in _text(render("receipt", samples.person_normal()))
    assert "您单位于2026年3月9日提交的" in _text(render("receipt", samples.organisation_mixed()))


def test_receipt_carries_the_full_id_and_other_papers_mask_it() -> None:
    person = samples.person_normal()
    assert person.applicant.id_no in _text(render("receipt", person))
    pledge = samples.organisation_mixed()
    assert pledge.applicant.id_no in _text(render("pledge", pledge))  # a credit code is public
    notice = samples.person_supplement()
    text = _text(render("one-time-notice", notice)) + _text(render("supplement-notice", notice))
    assert notice.applicant.id_no not in text
    refusal = _text(render("refusal", samples.person_refused()))
    assert samples.person_refused().applicant.id_no not in refusal


def test_one_time_notice_numbers_every_section() -> None:
    text = _text(render("one-time-notice", samples.person_supplement()))
    assert "一、尚需提交的材料（共3项）" in text and "二、其他需要说明的事项" in text and "三、事项基本信息" in text


def test_nothing_to_collect_on_a_refusal() -> None:
    text = _text(render("refusal", samples.person_refused()))
    assert "领取" not in text and "送达" not in text


def test_the_note_column_says_a_shared_reason_once() -> None:
    base = samples.person_supplement()
    same = dataclasses.replace(base, notice=tuple(dataclasses.replace(n, reason="未提交") for n in base.notice))
    text = _text(render("one-time-notice", same))
    assert "下列3项材料均为：未提交。" in text and text.count("未提交") == 1 and "说明可选" not in text
    repeated = dataclasses.replace(base, notice=(base.notice[0], base.notice[0], base.notice[2]))
    text = _text(render("supplement-notice", repeated))
    assert text.count("核心材料未提交，不能容缺") == 1 and "同上" in text


def _line_starts(pdf: bytes) -> list[tuple[float, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True,
                              capture_output=True).stdout.decode("utf-8")
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", html).replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    return [(float(line.get("xMin", "0")), "".join(w.text or "" for w in line.iter("word")))
            for line in root.iter("line")]


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_paragraphs_start_two_ideographic_spaces_in(paper: str) -> None:
    """reportlab drops leading U+3000, so the indent is the style's: the paragraph's first line starts 2 em
    (2 × 10.5 pt, scaled on A5) right of the salutation and of its own second line."""
    lines = _line_starts(render("refusal", samples.person_refused(), paper=paper))
    salutation = next(x for x, t in lines if t.startswith("巴特尔："))
    first = next(i for i, (_x, t) in enumerate(lines) if t.startswith("您于"))
    indent = lines[first][0] - salutation
    assert 16 <= indent <= 23, f"indent {indent:.1f} pt"
    assert abs(lines[first + 1][0] - salutation) < 1.5  # the wrapped line goes back to the margin


def _with_query(data: CaseDoc, url: str) -> CaseDoc:
    return dataclasses.replace(data, hall=dataclasses.replace(data.hall, query_url=url))


def test_qr_opens_the_query_page_of_this_case_and_still_verifies_at_the_counter() -> None:
    data = _with_query(samples.organisation_mixed(), "https://zwfw.nmg.gov.cn/query?no={case_no}")
    for doc in ("receipt", "one-time-notice", "mailing"):
        codes = decode(render_page(render(doc, data), 1, dpi=200))
        assert codes.get("Code128") == [data.case_no], doc
        [link] = codes["QRCode"]
        assert link == document_qr_text(data)
        parts = urlsplit(link)
        query = parse_qs(parts.query)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", "zwfw.nmg.gov.cn", "/query")
        assert query["no"] == [data.case_no]  # the phone opens this case's progress
        assert query["zcv"] == [verification_payload(data)]
        assert check_verification(query["zcv"][0], case_no=data.case_no, hall_code=data.hall.code,
                                  accepted=data.accepted_date, id_no=data.applicant.id_no,
                                  matter_code=data.matter_code)
        scanned = recognise(link, today=data.accepted_date)  # the counter's scanner reads the link
        assert scanned.ok and scanned.kind == "case_no" and scanned.value == data.case_no


def test_qr_without_a_query_page_is_the_payload_and_text_around_a_token_is_read() -> None:
    data = samples.person_normal()
    assert document_qr_text(data) == verification_payload(data)
    scanned = recognise(f"受理编号查询 {verification_payload(data)} 谢谢", today=data.accepted_date)
    assert scanned.ok and scanned.value == data.case_no
    path_style = _with_query(data, "https://example.cn/case/{case_no}")
    assert document_qr_text(path_style).startswith(f"https://example.cn/case/{data.case_no}?zcv=ZCV1%7C")



def test_straight_quotes_typed_into_a_value_print_as_chinese_quotes() -> None:
    base = samples.person_supplement()
    typed = dataclasses.replace(base, notice_items=('请携带"户口簿"原件',))
    text = _text(render("one-time-notice", typed))
    assert "请携带“户口簿”原件" in text and '"' not in text
