"""Every case document, rendered from fixture cases, read back as a user's tools would read it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess

import pytest

from app.errors import PrintError
from printing import DOCUMENTS, samples
from printing.data import ApplicantDoc, check_verification, verification_payload
from printing.documents import applicable, render
from tests.printing.pdf_tools import decode, pdf_fonts, pdf_pages, pdf_text, render_page

PERSON = samples.person_normal()
ORG = samples.organisation_mixed()
REFUSED = samples.person_refused()
SUPPLEMENT = samples.person_supplement()
CONCLUDED = dataclasses.replace(PERSON, state="ready", result="approved", concluded_at=dt.datetime(2026, 3, 20, 15, 0))

# (document, case, text that must appear) — the facts a clerk or applicant reads on each one.
EXPECTED: list[tuple[str, object, list[str]]] = [
    ("receipt", PERSON, ["受理通知书", "受理回执", PERSON.case_no, "最低生活保障审核确认", "巴特尔", "150929198503150010",
                         "团结路幸福小区", "13847412345", "收件材料清单", "户口簿", "电子证照", "复印件", "法定办结时限",
                         "30个工作日", "承诺办结时限", "2026年3月23日", "不收费", "进度查询", "窗口领取", "萨仁",
                         "受理专用章", "申请人（签收）", "四子王旗政务服务中心", "第1页共"]),  # 1 page; 2 bilingual (test_bilingual)
    ("receipt", ORG, ["单位名称", "草原人家农牧业专业合作社", "统一社会信用代码", "93150929MA0N2XY13R", "法定代表人",
                      "乌云其木格", "容缺", "承诺", "以告知承诺书代替", "政务专递", "2026年3月12日前补交"]),
    ("deferral-notice", ORG, ["容缺受理通知书", "申请人留存联", "存档联", "经营场所平面布局图", "食品安全管理制度文本",
                              "补交期限", "2026年3月12日", "终止办理", "提交方式"]),
    ("deferral-pledge", ORG, ["容缺受理承诺书", "承诺人", "经营场所平面布局图", "终止办理", "授权委托书附后"]),
    ("pledge", ORG, ["告知承诺书", "消防安全检查合格证明", "设定依据", "《中华人民共和国消防法》第十五条", "证明内容",
                     "承诺方式", "承诺效力", "不实承诺的法律责任", "核查方式", "实地核查", "已经知晓", "已符合",
                     "真实、准确", "愿意接受行政机关的核查", "不得由他人代为承诺", "承诺人（签字并盖章）"]),
    ("one-time-notice", SUPPLEMENT, ["一次性告知书", "亲属关系证明", "被投靠人同意投靠的书面意见", "合法稳定住所证明",
                                  "可告知承诺", "被投靠人须本人到场", "咨询电话", "0474-5201235", "监督电话", "0474-12345"]),
    ("one-time-notice", ORG, ["一次性告知书", "经营场所平面布局图", "食品安全管理制度文本"]),
    ("refusal", REFUSED, ["不予受理决定书", "不予受理理由", "不属于本行政机关职权范围", "法律依据",
                          "第三十二条第一款第（二）项", "锡林郭勒盟阿巴嘎旗公安局户政管理大队", "六十日内",
                          "行政复议", "六个月内", "行政诉讼", "行政机关专用章"]),
    ("supplement-notice", ORG, ["补正材料通知书", "2026年3月12日", "经营场所平面布局图", "补交方式"]),
    ("supplement-notice", SUPPLEMENT, ["补正材料通知书", "一次性告知", "第三十二条第一款第（四）项", "共3项",
                                       "亲属关系证明", "不符合法定形式", "合法稳定住所证明", "五日内",
                                       "即为受理", "无需重新申请", "被投靠人须本人到场"]),
    ("pickup", CONCLUDED, ["办件出件单", "准予办理", "领取人（签字）", "150929********0010", "最低生活保障审核确认通知书"]),
    ("mailing", ORG, ["政务专递寄递单", "寄件单位", "收件人", "草原人家农牧业专业合作社", "忽鸡图嘎查委员会", "运单号"]),
]


@pytest.mark.parametrize(("doc", "data", "expected"), EXPECTED,
                         ids=[f"{d}-{c.applicant.kind}" for d, c, _ in EXPECTED])  # type: ignore[attr-defined]
def test_document_text_fonts_and_barcode(doc: str, data: object, expected: list[str]) -> None:
    pdf = render(doc, data)  # type: ignore[arg-type]
    text = pdf_text(pdf)
    missing = [word for word in expected if word not in text]
    assert not missing, f"{doc}: not in the PDF text: {missing}"
    assert data.hall.name in text and data.case_no in text  # type: ignore[attr-defined]
    fonts = pdf_fonts(pdf)
    assert fonts, "a document without text?"
    assert all(f.embedded for f in fonts), f"not embedded: {[f.name for f in fonts if not f.embedded]}"
    assert all("WenQuanYi" in f.name or "NotoSansMongolian" in f.name for f in fonts)  # the shipped two only


@pytest.mark.parametrize("doc", ["receipt", "deferral-notice", "pledge", "mailing"])
def test_barcode_and_verification_qr_decode_from_200_dpi_render(doc: str) -> None:
    pdf = render(doc, ORG)
    codes = decode(render_page(pdf, 1, dpi=200))
    assert codes.get("Code128") == [ORG.case_no]
    assert codes.get("QRCode") == [verification_payload(ORG)]
    assert check_verification(codes["QRCode"][0], case_no=ORG.case_no, hall_code="150929",
                              accepted=ORG.accepted_date, id_no=ORG.applicant.id_no, matter_code=ORG.matter_code)


def test_verification_payload_rejects_another_case() -> None:
    payload = verification_payload(ORG)
    assert payload.startswith(f"ZCV1|{ORG.case_no}|150929|2026-03-09|")
    assert not check_verification(payload, case_no=ORG.case_no, hall_code="150929", accepted=ORG.accepted_date,
                                  id_no="150929198503150010", matter_code=ORG.matter_code)


def test_forty_materials_and_long_names_paginate_with_header_on_every_page() -> None:
    data = samples.long_case(40)
    pdf = render("receipt", data)
    pages = pdf_pages(pdf)
    assert pages >= 2
    text = pdf_text(pdf)
    for i in (1, 17, 40):
        assert f"第{i}项材料" in text
    assert f"第1页共{pages}页" in text and f"第{pages}页共{pages}页" in text
    assert text.count("材料名称") >= pages - 1  # the table's header row repeats on the pages it spills onto
    assert "东侧第七户" in text  # the end of a very long address is not clipped
    last = decode(render_page(pdf, pages, dpi=200))
    assert last.get("Code128") == [data.case_no]  # every page carries the barcode, not just the first


@pytest.mark.parametrize(("number", "printed"), [
    ("1509292603090200074", "150929 260309 02 0007 4"),  # the 19-digit form: 18 digits and a Damm check digit
    ("150929260309050001", "150929 260309 05 0001"),  # an old case's 18 digits, reprinted as they were given
], ids=["current", "legacy"])
def test_the_number_is_printed_in_its_spoken_groups_and_barcoded_whole(number: str, printed: str) -> None:
    pdf = render("receipt", dataclasses.replace(PERSON, case_no=number))
    layout = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", "-", "-"], input=pdf,
                            capture_output=True, check=True).stdout.decode()
    assert layout.count(printed) >= 2  # under the barcode and in 办件信息
    assert decode(render_page(pdf, 1, dpi=200)).get("Code128") == [number]


def test_deferral_notice_puts_each_copy_on_its_own_page() -> None:
    pdf = render("deferral-notice", ORG)
    assert pdf_pages(pdf) == 2
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True,
                           check=True).stdout.decode()
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-", "-"], input=pdf, capture_output=True,
                            check=True).stdout.decode()
    assert "申请人留存联" in first and "存档联" not in first
    assert "存档联" in second and "申请人留存联" not in second
    assert "终止办理" in pdf_text(pdf)


def test_one_pledge_document_per_pledged_material() -> None:
    data = samples.long_case(40)
    pdf = render("pledge", data)
    assert pdf_pages(pdf) == len(data.pledged()) == 8


def test_reprint_is_marked_on_every_page() -> None:
    data = dataclasses.replace(ORG, reprint=True, printed_at=dt.datetime(2026, 3, 10, 9, 5))
    pdf = render("deferral-notice", data)
    text = pdf_text(pdf)
    assert text.count("补打") >= 2 and "补打于2026年3月10日09:05" in text  # the page's one date style


@pytest.mark.parametrize(("doc", "data", "reason"), [
    ("pledge", PERSON, "没有以告知承诺代替的材料"),
    ("deferral-notice", PERSON, "没有容缺材料"),
    ("refusal", PERSON, "不能打印不予受理决定书"),
    ("refusal", SUPPLEMENT, "不能打印不予受理决定书"),
    ("receipt", REFUSED, "没有受理通知书"),
    ("receipt", SUPPLEMENT, "尚未受理"),
    ("pickup", PERSON, "尚未办结"),
    ("mailing", PERSON, "不是政务专递"),
    ("one-time-notice", PERSON, "没有需要一次性告知"),
    ("nonsense", PERSON, "未知的文书类型"),
])
def test_a_document_that_does_not_fit_the_case_is_refused_with_the_reason(doc: str, data: object, reason: str) -> None:
    with pytest.raises(PrintError, match=reason):
        render(doc, data)  # type: ignore[arg-type]


def test_applicable_lists_only_documents_that_render() -> None:
    assert applicable(PERSON) == ["receipt"]
    assert set(applicable(ORG)) >= {"receipt", "deferral-notice", "deferral-pledge", "pledge", "mailing"}
    assert applicable(REFUSED) == ["refusal"]
    assert applicable(SUPPLEMENT) == ["one-time-notice", "supplement-notice"]
    assert set(applicable(ORG)) <= set(DOCUMENTS)


def test_applicant_text_with_markup_characters_prints_as_typed() -> None:
    odd = ApplicantDoc(kind="person", name="A&B <测试> 其木格", id_kind="resident", id_no="150929198503150010",
                       address="街道 <1> & 2号")
    pdf = render("receipt", dataclasses.replace(PERSON, applicant=odd))
    text = pdf_text(pdf)
    assert "A&B<测试>其木格" in text and "街道<1>&2号" in text


def test_a5_paper_is_honoured() -> None:
    pdf = render("pickup", CONCLUDED)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "419.528 x 595.276" in info  # A5 portrait, in points
    with pytest.raises(PrintError, match="纸张"):
        render("receipt", PERSON, paper="B5")


def test_a_due_date_in_a_provisional_year_is_marked_on_the_receipt() -> None:
    plain = pdf_text(render("receipt", PERSON)).replace(" ", "")
    assert "尚未公布" not in plain
    data = dataclasses.replace(PERSON, legal_due=dt.date(2027, 1, 5), provisional_years=(2027,))
    text = pdf_text(render("receipt", data)).replace(" ", "").replace("\n", "")
    assert "2027年放假安排尚未公布，上述日期暂按法定节假日推算" in text
