"""Queue tickets: the roll-paper PDF and the ESC/POS byte streams a thermal printer receives."""

from __future__ import annotations

import dataclasses

import pytest

from app.errors import PrintError
from printing import samples
from printing.ticket import DOTS, FS_CHINESE_ON, render_ticket_image, render_ticket_pdf, ticket_escpos
from tests.printing.pdf_tools import decode, pdf_fonts, pdf_pages, pdf_text, render_page

TICKET = samples.ticket()


@pytest.mark.parametrize("width", [58, 80])
def test_ticket_pdf_shows_number_category_queue_and_scannable_qr(width: int) -> None:
    pdf = render_ticket_pdf(TICKET, width)
    assert pdf_pages(pdf) == 1  # one roll-length page, never split
    text = pdf_text(pdf)
    for word in ("A012", "社保医保", "您前面还有7人等候", "2026年3月9日09:41", "四子王旗政务服务中心", "过号请到服务台重新取号"):
        assert word in text
    assert all(f.embedded for f in pdf_fonts(pdf))
    codes = decode(render_page(pdf, dpi=200))
    assert codes.get("QRCode") == ["ZCT1|150929|2026-03-09|A012"]


def test_priority_and_nobody_ahead_are_spelled_out() -> None:
    t = dataclasses.replace(TICKET, priority="elder", ahead=0)
    text = pdf_text(render_ticket_pdf(t))
    assert "老年人绿色通道" in text and "您前面没有人等候" in text


def test_escpos_text_mode_carries_gb18030_number_and_category() -> None:
    data = ticket_escpos(TICKET, mode="text")
    assert data.startswith(b"\x1b@")  # ESC @ resets the printer first
    assert FS_CHINESE_ON in data
    for text in ("A012", "社保医保（A类）", "四子王旗政务服务中心", "您前面还有 7 人等候"):
        assert text.encode("gb18030") in data
    assert b"\x1d(k" in data  # the native QR command (GS ( k)
    assert b"ZCT1|150929|2026-03-09|A012" in data
    assert data.endswith(b"\x1dV\x00")  # GS V 0: full cut, so the ticket comes off


@pytest.mark.parametrize("width", [58, 80])
def test_escpos_raster_mode_prints_the_ticket_as_an_image(width: int) -> None:
    data = ticket_escpos(TICKET, mode="raster", width_mm=width)
    assert b"\x1dv0" in data  # GS v 0: raster bit image
    assert "A012".encode("gb18030") not in data  # nothing relies on the printer's own font
    image = render_ticket_image(TICKET, width)
    assert image.width == DOTS[width]
    assert decode(image.convert("L")).get("QRCode") == ["ZCT1|150929|2026-03-09|A012"]


def test_unsupported_width_and_mode_are_refused() -> None:
    with pytest.raises(PrintError, match="58 或 80"):
        render_ticket_pdf(TICKET, 76)
    with pytest.raises(PrintError, match="text"):
        ticket_escpos(TICKET, mode="colour")  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [58, 80])
def test_the_ticket_dates_in_the_papers_one_style(width: int) -> None:
    """取号时间 as every paper writes a date and time (printing.layout.fmt_datetime), on both widths and the text
    printer alike; the only ISO date left is inside the QR payload the counter scans."""
    from printing.layout import fmt_datetime

    line = f"取号时间 {fmt_datetime(TICKET.issued_at)}"
    assert line == "取号时间 2026年3月9日 09:41"
    assert line.replace(" ", "") in pdf_text(render_ticket_pdf(TICKET, width_mm=width))  # pdf_text drops spaces
    assert "2026-03-09" not in pdf_text(render_ticket_pdf(TICKET, width_mm=width))
    data = ticket_escpos(TICKET, mode="text", width_mm=width)
    assert line.encode("gb18030") in data and data.count(b"2026-03-09") == 1  # the QR payload's


def test_a_ticket_issued_offline_leaves_the_count_ahead_off() -> None:
    text = pdf_text(render_ticket_pdf(dataclasses.replace(TICKET, ahead=None)))
    assert "请留意大厅叫号" in text and "前面" not in text
