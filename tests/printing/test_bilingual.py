"""Bilingual papers: the Mongolian title stands above the Chinese one, shaped, embedded and extractable;
switched off, the paper is Chinese only."""

from __future__ import annotations

import dataclasses

import pytest

from app.vocabulary import mongolian
from printing import DOCUMENTS, samples
from printing.documents import render
from tests.printing.pdf_tools import pdf_fonts, pdf_text

ORG = samples.organisation_mixed()
REFUSED = samples.person_refused()

PAPERS = [("receipt", ORG, "受理通知书"), ("one-time-notice", ORG, "一次性告知书"),
          ("supplement-notice", ORG, "补正材料通知书"), ("deferral-notice", ORG, "容缺受理通知书"),
          ("deferral-pledge", ORG, "容缺受理承诺书"), ("pledge", ORG, "告知承诺书"),
          ("refusal", REFUSED, "不予受理决定书")]


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(("doc", "data", "title"), PAPERS, ids=[p[0] for p in PAPERS])
def test_mongolian_title_first_then_chinese(doc: str, data: object, title: str) -> None:
    pdf = render(doc, data)  # type: ignore[arg-type]
    text = pdf_text(pdf)
    mn = _flat(mongolian(title))
    assert mn and mn in text
    assert text.index(mn) < text.index(title)  # Mongolian first (above)
    assert any("NotoSansMongolian" in f.name and f.embedded for f in pdf_fonts(pdf))


def test_receipt_subtitle_is_bilingual_too() -> None:
    text = pdf_text(render("receipt", ORG))
    assert _flat(mongolian("受理回执")) in text


def test_bilingual_off_prints_chinese_only() -> None:
    pdf = render("receipt", dataclasses.replace(ORG, bilingual=False))
    assert not any("NotoSansMongolian" in f.name for f in pdf_fonts(pdf))
    assert DOCUMENTS["receipt"].split("（")[0] in pdf_text(pdf)


def test_ticket_pdf_has_mongolian_above_chinese() -> None:
    from printing.ticket import render_ticket_pdf

    text = pdf_text(render_ticket_pdf(samples.ticket()))
    label, category = _flat(mongolian("排队号")), _flat(samples.ticket().category_name_mn)
    assert label in text and text.index(label) < text.index("排队号")
    assert category in text and text.index(category) < text.index("社保医保")


def test_thermal_ticket_prints_mongolian_as_bitmap() -> None:
    from printing.ticket import render_ticket_image, ticket_escpos

    on, off = samples.ticket(), dataclasses.replace(samples.ticket(), bilingual=False)
    assert render_ticket_image(on).height > render_ticket_image(off).height + 100  # three Mongolian lines
    raster = b"\x1dv0"  # GS v 0: a bitmap, the only way a Mongolian line reaches a printer without the font
    no_notice = dataclasses.replace(on, notice="")
    assert ticket_escpos(no_notice, mode="text").count(raster) == 3
    assert raster not in ticket_escpos(off, mode="text")
    assert ticket_escpos(no_notice, mode="text", width_mm=58).count(raster) == 3  # long lines shrink to 384 dots
    # The notice (the vocabulary's wording of the default one) wraps at spaces into lines of its own.
    assert ticket_escpos(on, mode="text").count(raster) > 4
    assert ticket_escpos(on, mode="text", width_mm=58).count(raster) > ticket_escpos(on, mode="text").count(raster)
    assert render_ticket_image(on, width_mm=58).width == 384


def test_mongolian_line_image_is_shaped_ink() -> None:
    from printing.raster import mongolian_line_image

    image = mongolian_line_image(mongolian("排队号"), height_px=48)
    assert image.height == 48 and image.width > 100
    assert image.getextrema()[0] < 64  # ink was drawn


MATTER_MN = "ᠢᠳᠡᠭᠡᠨ ᠦ ᠠᠵᠤ ᠠᠬᠤᠢ ᠶᠢᠨ ᠵᠥᠪᠰᠢᠶᠡᠷᠡᠯ"  # the shipped catalog's name for 食品经营许可
OFFICE_MN = "ᠵᠠᠬ᠎ᠠ ᠵᠡᠭᠡᠯᠢ ᠶᠢᠨ ᠬᠢᠨᠠᠨ ᠬᠢᠨᠠᠬᠤ ᠵᠠᠬᠢᠷᠬᠤ ᠲᠣᠪᠴᠢᠶ᠎ᠠ"


def test_headings_field_labels_and_catalog_names_carry_their_mongolian() -> None:
    data = dataclasses.replace(ORG, matter_name_mn=MATTER_MN, department_mn=OFFICE_MN)
    text = pdf_text(render("receipt", data))
    for chinese in ("事项名称", "受理编号", "单位名称", "实施机构", "联系电话"):  # field labels
        mn = _flat(mongolian(chinese))
        assert mn and mn in text, chinese
    assert _flat(mongolian("办件信息")) in text and _flat(mongolian("收件材料清单")) in text  # section headings
    assert text.index(_flat(mongolian("办件信息"))) < text.index("办件信息")  # Mongolian to the left
    assert _flat(MATTER_MN) in text and _flat(OFFICE_MN) in text  # the catalog's names beside the Chinese ones
    assert "草原人家农牧业专业合作社" in text  # case data as entered


@pytest.mark.parametrize(("doc", "data", "title"), PAPERS, ids=[p[0] for p in PAPERS])
def test_chinese_first_puts_the_mongolian_after(doc: str, data: object, title: str) -> None:
    pdf = render(doc, dataclasses.replace(data, mongolian_first=False))  # type: ignore[type-var]
    text = pdf_text(pdf)
    mn = _flat(mongolian(title))
    assert mn in text and text.index(title) < text.index(mn)


def test_chinese_only_paper_has_no_mongolian_labels_and_stays_on_one_page() -> None:
    person = samples.person_normal()
    off = render("receipt", dataclasses.replace(person, bilingual=False, matter_name_mn=MATTER_MN))
    text = pdf_text(off)
    assert _flat(mongolian("事项名称")) not in text and _flat(MATTER_MN) not in text
    assert "第1页共1页" in text
    assert "第1页共2页" in pdf_text(render("receipt", person))  # bilingual labels cost about a quarter page


def test_ticket_notice_in_mongolian_from_the_setting_or_the_vocabulary() -> None:
    from printing.ticket import render_ticket_pdf

    t = samples.ticket()
    text = pdf_text(render_ticket_pdf(t))
    default_mn = _flat(mongolian(t.notice))
    assert default_mn and default_mn in text and text.index(default_mn) < text.index("请按号码顺序")
    own = dataclasses.replace(t, notice="请保管好号票。", notice_mn="ᠳᠤᠭᠠᠷ ᠤᠨ ᠪᠢᠴᠢᠭ ᠢᠶᠡᠨ ᠬᠠᠳᠠᠭᠠᠯᠠᠨ᠎ᠠ ᠤᠤ")
    assert _flat(own.notice_mn) in pdf_text(render_ticket_pdf(own))
    unknown = dataclasses.replace(t, notice="请保管好号票。")  # no Mongolian for a custom notice: Chinese only
    assert "请保管好号票" in pdf_text(render_ticket_pdf(unknown))


def test_ticket_chinese_first_and_off() -> None:
    from printing.ticket import render_ticket_pdf

    t = samples.ticket()
    text = pdf_text(render_ticket_pdf(dataclasses.replace(t, mongolian_first=False)))
    label = _flat(mongolian("排队号"))
    assert text.index("排队号") < text.index(label)
    off = pdf_text(render_ticket_pdf(dataclasses.replace(t, bilingual=False)))
    assert label not in off and _flat(t.category_name_mn) not in off


@pytest.mark.parametrize("mongolian_first", [True, False])
def test_bundle_receipt_is_bilingual_in_the_configured_order(mongolian_first: bool) -> None:
    from printing.bundle_receipt import TITLE, bundle_receipt

    data = dataclasses.replace(ORG, matter_name_mn=MATTER_MN, department_mn=OFFICE_MN, mongolian_first=mongolian_first)
    docs = [data, dataclasses.replace(data, case_no=ORG.case_no[:-1] + "9")]
    pdf = bundle_receipt("新生儿出生一件事", docs)
    text = _flat(pdf_text(pdf))
    for zh in (TITLE, "申请人", "办理的事项", "收取的材料", "说明"):
        mn = _flat(mongolian(zh))
        assert mn and mn in text and zh in text
        assert (text.index(mn) < text.index(zh)) == mongolian_first, zh
    assert text.count(_flat(MATTER_MN)) == 2 and text.count(_flat(OFFICE_MN)) >= 2  # in each matter's row
    assert any("NotoSansMongolian" in f.name and f.embedded for f in pdf_fonts(pdf))
    chinese_only = bundle_receipt("新生儿出生一件事", [dataclasses.replace(d, bilingual=False) for d in docs])
    assert not any("NotoSansMongolian" in f.name for f in pdf_fonts(chinese_only))
    assert not any("\u1800" <= ch <= "\u18af" for ch in pdf_text(chinese_only))
    assert TITLE in _flat(pdf_text(chinese_only))
