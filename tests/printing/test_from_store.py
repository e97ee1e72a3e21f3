"""Documents built straight from store rows (Case, CaseMaterial, Hall, Clerk, matter snapshot), on both engines."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import NotFound, PrintError, ValidationError
from app.store import Store
from printing.documents import applicable, render
from printing.from_store import case_doc, print_count, record_print, ticket_doc
from tests.hall_clock import CLOCK
from tests.printing.pdf_tools import HALL_CODE, add_case, add_ticket, pdf_text, seed_hall

CASE_NO = "150929260309050001"  # an old 18-digit number: stored cases keep theirs and print with it
CURRENT_NO = "1509292603090500029"


def test_case_doc_reads_rows_and_snapshot(any_store: Store) -> None:
    version = seed_hall(any_store)
    add_case(any_store, version, case_no=CASE_NO)
    with any_store.read() as s:
        doc = case_doc(s, CASE_NO, clock=CLOCK)
    assert doc.hall.name == "四子王旗政务服务中心" and doc.clerk_name == "萨仁"
    assert doc.accepted_at == dt.datetime(2026, 3, 9, 10, 24)  # 02:24 UTC printed as 北京时间
    assert doc.promised_label == "5个工作日" and doc.legal_label == "20个工作日"
    assert [m.state for m in doc.materials] == ["original", "deferred", "pledge"]
    fire = doc.materials[2]
    assert fire.pledge is not None and fire.pledge.personal and "消防法" in fire.pledge.basis
    assert applicable(doc)[:4] == ["receipt", "deferral-notice", "deferral-pledge", "pledge"]
    text = pdf_text(render("pledge", doc))
    assert "《中华人民共和国消防法》第十五条" in text and "食品经营许可" in text and CASE_NO in text


def test_unknown_case_is_not_found(sqlite_store: Store) -> None:
    seed_hall(sqlite_store)
    with sqlite_store.read() as s, pytest.raises(NotFound, match="受理编号 150929260309059999 不存在"):
        case_doc(s, "150929260309059999", clock=CLOCK)


def test_a_number_typed_as_read_aloud_finds_its_case_and_a_typo_says_so(sqlite_store: Store) -> None:
    version = seed_hall(sqlite_store)
    add_case(sqlite_store, version, case_no=CURRENT_NO)
    with sqlite_store.read() as s:
        assert case_doc(s, "150929 260309 05 0002 9", clock=CLOCK).case_no == CURRENT_NO
        with pytest.raises(ValidationError, match="校验位不符"):
            case_doc(s, "150929 260309 05 0020 9", clock=CLOCK)  # two adjacent digits swapped


def test_case_awaiting_correction_prints_the_checklists_notice_once(sqlite_store: Store) -> None:
    version = seed_hall(sqlite_store)
    detail = {"reasons": ["申请材料不齐全或者不符合法定形式，一次性告知申请人补正", "核心材料“申请书”未提交"],
              "notice": [{"key": "application", "name": "申请书", "form": "原件", "copies": 1,
                          "reason": "核心材料未提交", "options": ""},
                         {"key": "layout", "name": "经营场所平面图", "form": "原件", "copies": 1, "reason": "未提交",
                          "options": "可容缺后补"}]}
    add_case(sqlite_store, version, case_no=CASE_NO, decision="supplement", kind="person",
             state="awaiting_correction", states={"application": "missing", "layout": "missing", "fire": "missing"},
             detail=detail)
    with sqlite_store.read() as s:
        doc = case_doc(s, CASE_NO, clock=CLOCK)
    assert "receipt" not in applicable(doc) and "refusal" not in applicable(doc)
    notice = pdf_text(render("supplement-notice", doc))
    assert "核心材料未提交" in notice and "可容缺后补" in notice and "经营场所平面图" in notice
    assert notice.count("经营场所平面图") == 1 and "不予受理" not in notice
    with pytest.raises(PrintError, match="尚未受理"):
        render("receipt", doc)


def test_refused_case_prints_the_ground_its_basis_and_the_competent_authority(sqlite_store: Store) -> None:
    version = seed_hall(sqlite_store)
    detail = {"reasons": ["不予受理：申请事项依法不属于本行政机关职权范围"],
              "refusal": {"ground": "not_competent", "text": "申请事项依法不属于本行政机关职权范围",
                          "basis": "《中华人民共和国行政许可法》第三十二条第一款第（二）项",
                          "competent_authority": "乌兰察布市市场监督管理局"},
              "competent_office": "乌兰察布市市场监督管理局"}
    add_case(sqlite_store, version, case_no=CASE_NO, decision="refused", kind="person", state="refused_at_counter",
             detail=detail)
    with sqlite_store.read() as s:
        doc = case_doc(s, CASE_NO, clock=CLOCK)
    assert applicable(doc) == ["refusal"]
    text = pdf_text(render("refusal", doc))
    for words in ("不予受理决定书", "不属于本行政机关职权范围", "第三十二条第一款第（二）项", "乌兰察布市市场监督管理局",
                  "六十日内", "行政复议", "六个月内", "行政诉讼"):
        assert words in text, words


def test_ticket_doc_counts_people_waiting_ahead(any_store: Store) -> None:
    seed_hall(any_store)
    add_ticket(any_store, code="A001", category="A", queued_minute=1, state="done")
    add_ticket(any_store, code="A002", category="A", queued_minute=2)
    add_ticket(any_store, code="A003", category="A", queued_minute=3)
    add_ticket(any_store, code="B001", category="B", queued_minute=3)
    add_ticket(any_store, code="A004", category="A", queued_minute=4, state="issuing")
    with any_store.read() as s:
        t = ticket_doc(s, hall_code=HALL_CODE, code="a004", service_date=dt.date(2026, 3, 9),
                       category_names={"A": "社保医保"}, clock=CLOCK)
    assert (t.code, t.category_name, t.ahead, t.hall_name) == ("A004", "社保医保", 2, "四子王旗政务服务中心")
    assert t.issued_at == dt.datetime(2026, 3, 9, 9, 4)
    with any_store.read() as s, pytest.raises(NotFound, match="没有号票 A099"):
        ticket_doc(s, hall_code=HALL_CODE, code="A099", service_date=dt.date(2026, 3, 9), clock=CLOCK)


def test_prints_and_reprints_are_audited(sqlite_store: Store) -> None:
    version = seed_hall(sqlite_store)
    add_case(sqlite_store, version, case_no=CASE_NO)
    with sqlite_store.write() as s:
        assert print_count(s, CASE_NO, "receipt") == 0
        record_print(s, case_no=CASE_NO, doc="receipt", actor="saren", host="pc-5", reprint=False, printer="HP",
                     at=CLOCK.now())
    with sqlite_store.write() as s:
        assert print_count(s, CASE_NO, "receipt") == 1
        record_print(s, case_no=CASE_NO, doc="receipt", actor="saren", host="pc-5", reprint=True, printer="HP",
                     at=CLOCK.now())
    with sqlite_store.read() as s:
        assert print_count(s, CASE_NO, "receipt") == 2 and print_count(s, CASE_NO, "pledge") == 0


def test_papers_follow_the_hall_and_this_pcs_language_settings(sqlite_store: Store) -> None:
    from app.settings import LanguageSettings, Settings
    from app.store.models import Hall

    version = seed_hall(sqlite_store)
    add_case(sqlite_store, version, case_no=CASE_NO)
    with sqlite_store.read() as s:
        doc = case_doc(s, CASE_NO, clock=CLOCK)
    assert doc.bilingual and doc.mongolian_first  # the hall's default and the region's order
    with sqlite_store.write() as s:
        hall = s.get(Hall, HALL_CODE)
        assert hall is not None and hall.bilingual is True
        hall.bilingual = False
    with sqlite_store.read() as s:
        assert not case_doc(s, CASE_NO, clock=CLOCK).bilingual
        on_zh_first = Settings(language=LanguageSettings(bilingual="on", first="zh"))
        doc = case_doc(s, CASE_NO, clock=CLOCK, settings=on_zh_first)
        assert doc.bilingual and not doc.mongolian_first  # this PC overrides the hall, Chinese first
        assert not case_doc(s, CASE_NO, clock=CLOCK, settings=Settings()).bilingual  # "hall": follows it
    add_ticket(sqlite_store, code="A001", category="A", queued_minute=5)
    with sqlite_store.read() as s:
        ticket = ticket_doc(s, hall_code=HALL_CODE, code="A001", service_date=dt.date(2026, 3, 9), clock=CLOCK,
                            settings=on_zh_first)
        assert ticket.bilingual and not ticket.mongolian_first
        assert not ticket_doc(s, hall_code=HALL_CODE, code="A001", service_date=dt.date(2026, 3, 9),
                              clock=CLOCK).bilingual
