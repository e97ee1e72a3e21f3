"""The documents after acceptance, rendered from a real store and read back with pdftotext (issue 14)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from app.cases import accept_case
from app.cases.lifecycle import confirm_termination, flag_overdue, receive_supplement
from app.cases.pledge_checks import list_checks, record_check
from app.cases.time_rules import extend_deadline, stop_clock
from app.errors import PrintError
from app.store import Store
from app.vocabulary import mongolian
from printing import DOCUMENTS
from printing.documents import applicable, render
from printing.from_store import case_doc
from tests.app._case_kit import MONDAY, pension_request, prepare
from tests.hall_clock import CLOCK
from tests.printing.pdf_tools import pdf_fonts, pdf_text

LATER = MONDAY + dt.timedelta(hours=2)
NEW_PAPERS = ("supply-receipt", "termination-notice", "extension-notice", "revocation")
PNG_DIR = os.environ.get("ZC_DOC_PNG_DIR", "")  # set to keep a 60-dpi PNG of each document's first page


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    prepare(sqlite_store)
    return sqlite_store


def _pdf(store: Store, case_no: str, doc: str) -> str:
    with store.read() as s:
        data = case_doc(s, case_no, clock=CLOCK)
    assert doc in applicable(data)
    pdf = render(doc, data)
    fonts = pdf_fonts(pdf)  # the bilingual receipt embeds Noto Sans Mongolian beside the Chinese face
    assert all(f.embedded for f in fonts) and any("WenQuanYiMicroHei" in f.name for f in fonts)
    text = pdf_text(pdf)
    if doc in NEW_PAPERS:  # Mongolian first (above the Chinese title), like the seven papers before them
        mn = "".join(mongolian(DOCUMENTS[doc]).split())
        assert mn and mn in text and text.index(mn) < text.index(DOCUMENTS[doc])
        assert any("NotoSansMongolian" in f.name for f in fonts)
    if PNG_DIR:
        out = Path(PNG_DIR) / doc
        out.with_suffix(".pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(out.with_suffix(".pdf")), str(out)],
                       check=True)
    return text


def test_supply_receipt_and_termination_notice(store: Store, tmp_path: Path) -> None:
    supplied = accept_case(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        with pytest.raises(PrintError, match="还没有补交"):
            render("supply-receipt", case_doc(s, supplied.case_no, clock=CLOCK))
    with store.write() as s:
        receive_supplement(s, case_no=supplied.case_no, material_keys=["photo"], actor="c", at=LATER)
    text = _pdf(store, supplied.case_no, "supply-receipt")
    assert "补交材料回执" in text and "照片" in text and "2026年11月23日" in text and "已全部补齐" in text

    lapsed = accept_case(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    assert lapsed.supplement_due is not None
    with store.write() as s:
        flag_overdue(s, lapsed.supplement_due + dt.timedelta(days=1), at=LATER)
        confirm_termination(s, case_no=lapsed.case_no, actor="c", at=LATER + dt.timedelta(days=5),
                            credit_record_on=(LATER + dt.timedelta(days=5)).date())
    text = _pdf(store, lapsed.case_no, "termination-notice")
    assert "终止办理通知书" in text and "容缺材料逾期未补交" in text and "信用记录" in text and "行政复议" in text


def test_extension_notice_and_receipt_say_the_deadline_moved(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    with store.write() as s:
        found = extend_deadline(s, case_no=case.case_no, days=10, approved_by="王局长（中心主任）",
                                reason="需到社保经办机构核对历年缴费记录", actor="c", at=LATER, today=LATER.date())
        stop_clock(s, case_no=case.case_no, stop="appraisal", actor="c", at=LATER + dt.timedelta(days=1),
                   today=LATER.date() + dt.timedelta(days=1))
    assert found.legal_due is not None
    text = _pdf(store, case.case_no, "extension-notice")
    assert "延期告知书" in text and "第四十二条" in text and "10个工作日" in text and "王局长" in text
    assert f"{found.legal_due.year}年{found.legal_due.month}月{found.legal_due.day}日" in text
    receipt = _pdf(store, case.case_no, "receipt")
    assert "期限说明" in receipt and "批准延长10个工作日" in receipt and "鉴定，暂停计时" in receipt


def test_revocation_for_an_untrue_pledge(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(pledge="pledge"), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        [check] = list_checks(s)
    with store.write() as s:
        record_check(s, check_id=check.id, found="false", note="经养老保险信息系统核验，申请人已在外省领取养老金",
                     actor="sup", at=LATER, today=LATER.date(), bar_days=365)
    text = _pdf(store, case.case_no, "revocation")
    assert "撤销决定书" in text and "第六十九条" in text and "已在外省领取养老金" in text
    assert "2027年11月23日" in text and "不得适用容缺受理和告知承诺" in text
