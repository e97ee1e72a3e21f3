"""Queue tickets: a 58/80 mm PDF (kiosks printing through a driver) and an ESC/POS byte stream (thermal).

ESC/POS comes in two flavours: ``text`` sends GB18030 text in the printer's Chinese mode (fast, needs a
printer with a Chinese font — most sold in China have one), ``raster`` sends the ticket as a bitmap drawn with
the shipped font (works on any ESC/POS printer).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from typing import Literal, TypeVar

from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from app.errors import PrintError
from app.vocabulary import mongolian
from printing.barcodes import QrFlowable, qr_matrix
from printing.data import PRIORITY_LABELS, TicketDoc
from printing.fonts import FONT_FILE, register_fonts
from printing.layout import fmt_datetime, para
from printing.mongolian import MongolianParagraph
from printing.raster import mongolian_line_image

T = TypeVar("T")

WIDTHS_MM = (58, 80)
DOTS = {58: 384, 80: 576}  # printable dots per line at 203 dpi
EscposMode = Literal["text", "raster"]

# ESC/POS commands used directly (python-escpos has no Chinese-mode helper).
FS_CHINESE_ON = b"\x1c\x26"  # FS &: double-byte (GB18030/GBK) character mode
FS_CHINESE_OFF = b"\x1c\x2e"


def _check_width(width_mm: int) -> None:
    if width_mm not in WIDTHS_MM:
        raise PrintError(f"号票纸宽 {width_mm} 毫米不支持，可选 58 或 80")


def _ticket_lines(t: TicketDoc) -> dict[str, str]:
    priority = PRIORITY_LABELS.get(t.priority, "")
    return {
        "hall": t.hall_name,
        "category": f"{t.category_name}（{t.category}类）" if t.category_name else f"{t.category}类业务",
        "priority": priority + ("　预约" if t.appointment else "") if (priority or t.appointment) else "",
        "ahead": ("请留意大厅叫号" if t.ahead is None
                  else f"您前面还有 {t.ahead} 人等候" if t.ahead else "您前面没有人等候，请留意叫号"),
        "time": f"取号时间 {fmt_datetime(t.issued_at)}",  # the papers' one date style (printing.layout)
        "notice": t.notice,
    }


def _mongolian_lines(t: TicketDoc) -> dict[str, str]:
    """The ticket's Mongolian lines (empty when off or unknown), each printed beside its Chinese line (above it
    when Mongolian comes first)."""
    if not t.bilingual:
        return {}
    ahead = (f"{mongolian('您前面还有')} {t.ahead} {mongolian('人等候')}" if t.ahead
             else mongolian("请留意叫号"))
    notice = (t.notice_mn or mongolian(t.notice)) if t.notice else ""
    return {k: v for k, v in {"label": mongolian("排队号"), "category": t.category_name_mn,
                               "ahead": ahead.strip(), "notice": notice}.items() if v}


def _in_order(t: TicketDoc, mongolian_part: list[T], chinese_part: list[T]) -> list[T]:
    """The two parts of a bilingual line in the configured order (Mongolian first: above)."""
    return [*mongolian_part, *chinese_part] if t.mongolian_first else [*chinese_part, *mongolian_part]


def _mongolian_bitmaps(text: str, *, height_px: int, max_width: int) -> list[Image.Image]:
    """A Mongolian paragraph (the notice) as one bitmap per line, broken at spaces to fit ``max_width`` dots."""
    from printing.mongolian import ASCENT, DESCENT, wrap_words

    # mongolian_line_image draws at 20 pt and scales the line to height_px: the same ratio turns dots into points.
    points_per_dot = (ASCENT + DESCENT) * 20.0 / height_px
    lines = wrap_words(text, 20.0, max_width * points_per_dot - 4)
    return [_mongolian_bitmap(line, height_px=height_px, max_width=max_width) for line in lines]


def _mongolian_bitmap(text: str, *, height_px: int, max_width: int) -> Image.Image:
    """A Mongolian line as a greyscale image; a line wider than the paper shrinks to fit rather than being cut
    off (or refused by the printer)."""
    line = mongolian_line_image(text, height_px=height_px)
    if line.width > max_width:
        line = line.resize((max_width, max(1, line.height * max_width // line.width)))
    return line


def render_ticket_pdf(t: TicketDoc, width_mm: int = 80) -> bytes:
    """The ticket as a one-page PDF exactly as tall as its content (roll paper)."""
    _check_width(width_mm)
    font = register_fonts()
    k = width_mm / 80
    lines = _ticket_lines(t)

    def style(size: float, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(f"t{size}", fontName=font, fontSize=size * k, leading=size * k * 1.3,
                              alignment=TA_CENTER, wordWrap="CJK", **kw)

    margin = 3 * mm
    width = width_mm * mm
    frame_w = width - 2 * margin - 12  # SimpleDocTemplate's frame pads 6 pt on every side
    mn = _mongolian_lines(t)

    def mongol(key: str, size: float) -> list[Flowable]:
        return [MongolianParagraph(mn[key], size * k, align="center", space_after=0)] if key in mn else []

    def both(key: str, size: float, chinese: Flowable) -> list[Flowable]:
        return _in_order(t, mongol(key, size), [chinese])

    story: list[Flowable] = [
        para(lines["hall"], style(11)),
        Spacer(1, 2 * mm),
        *both("label", 9, para("排队号", style(9))),
        Paragraph(t.code, style(48)),
        *both("category", 12, para(lines["category"], style(14))),
    ]
    if lines["priority"]:
        story.append(para(lines["priority"], style(11)))
    story += [Spacer(1, 1.5 * mm), *both("ahead", 9, para(lines["ahead"], style(10.5))),
              para(lines["time"], style(9)), Spacer(1, 2 * mm)]
    qr = QrFlowable(t.qr_payload(), 26 * mm * k)
    qr.hAlign = "CENTER"
    story.append(qr)
    if lines["notice"]:
        story += [Spacer(1, 1.5 * mm), *_in_order(t, mongol("notice", 7.5), [para(lines["notice"], style(8.5))])]
    height = sum(f.wrap(frame_w, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story)
    page_h = height + 2 * margin + 12 + 3 * mm  # frame padding, plus slack for reportlab's rounding
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, page_h), leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin, title=f"号票 {t.code}",
                            author=t.hall_name, creator="综窗受理客户端", pageCompression=1, invariant=1,
                            initialFontName=font)
    doc.build(story)
    return buffer.getvalue()


def render_ticket_image(t: TicketDoc, width_mm: int = 80) -> Image.Image:
    """The ticket as a 1-bit image, ``DOTS[width_mm]`` wide, drawn with the shipped font (raster ESC/POS)."""
    _check_width(width_mm)
    dots = DOTS[width_mm]
    k = dots / 576
    lines = _ticket_lines(t)
    image = Image.new("1", (dots, 2000), 1)
    draw = ImageDraw.Draw(image)
    y = 8

    def font(size: float) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(FONT_FILE), int(size * k), index=0)

    def centred(text: str, size: float, gap: int = 6) -> None:
        nonlocal y
        f = font(size)
        for line in _wrap(draw, text, f, dots - 16):
            left, top, right, bottom = (int(v) for v in draw.textbbox((0, 0), line, font=f))
            draw.text(((dots - (right - left)) // 2 - left, y - top), line, font=f, fill=0)
            y += bottom - top + gap

    mn = _mongolian_lines(t)

    def mongol(key: str, height: float) -> None:
        nonlocal y
        if key not in mn:
            return
        line = _mongolian_bitmap(mn[key], height_px=int(height * k), max_width=dots - 16)
        image.paste(line.point(lambda v: 0 if v < 128 else 255).convert("1"), ((dots - line.width) // 2, y))
        y += line.height + 2

    def both(key: str, height: float, text: str, size: float) -> None:
        for step in _in_order(t, [lambda: mongol(key, height)], [lambda: centred(text, size)]):
            step()

    centred(lines["hall"], 30)
    both("label", 44, "排队号", 24)
    centred(t.code, 140, gap=14)
    both("category", 56, lines["category"], 40)
    if lines["priority"]:
        centred(lines["priority"], 30)
    both("ahead", 48, lines["ahead"], 28)
    centred(lines["time"], 24, gap=12)
    rows = qr_matrix(t.qr_payload())
    box = max(3, int(220 * k) // (len(rows) + 4))
    side = box * (len(rows) + 4)
    x0 = (dots - side) // 2
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                draw.rectangle([x0 + (c + 2) * box, y + (r + 2) * box, x0 + (c + 3) * box - 1,
                                y + (r + 3) * box - 1], fill=0)
    y += side + 8
    def notice_mn() -> None:
        nonlocal y
        for line in _mongolian_bitmaps(mn["notice"], height_px=int(40 * k), max_width=dots - 16) if "notice" in mn \
                else []:
            image.paste(line.point(lambda v: 0 if v < 128 else 255).convert("1"), ((dots - line.width) // 2, y))
            y += line.height + 2

    if lines["notice"]:
        for step in _in_order(t, [notice_mn], [lambda: centred(lines["notice"], 22)]):
            step()
    return image.crop((0, 0, dots, y + 16))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break Chinese text anywhere (no spaces to break at) so no line is wider than ``width`` dots."""
    lines, line = [], ""
    for ch in text:
        if line and draw.textlength(line + ch, font=font) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _gb(text: str) -> bytes:
    try:
        return text.encode("gb18030")
    except UnicodeEncodeError:  # unreachable for str, kept so a codec change fails loudly with a reason
        raise PrintError(f"号票文字无法用 GB18030 编码：{text!r}") from None


def ticket_escpos(t: TicketDoc, *, mode: EscposMode = "text", width_mm: int = 80) -> bytes:
    """The ESC/POS byte stream for one ticket, ending with a paper cut."""
    _check_width(width_mm)
    p = Dummy()
    # Tell the (shared, hence copied) default profile the paper's width in dots, so python-escpos checks the
    # raster width against it instead of printing a warning to stdout.
    p.profile.profile_data = copy.deepcopy(p.profile.profile_data)
    p.profile.profile_data.setdefault("media", {}).setdefault("width", {})["pixels"] = DOTS[width_mm]
    p.hw("INIT")
    if mode == "raster":
        p.image(render_ticket_image(t, width_mm), impl="bitImageRaster", center=False)
    elif mode == "text":
        lines = _ticket_lines(t)
        p._raw(FS_CHINESE_ON)
        mn = _mongolian_lines(t)

        def mongol(key: str) -> None:  # no printer has a Mongolian font: the line goes as a bitmap
            if key in mn:
                p._raw(FS_CHINESE_OFF)
                p.image(_mongolian_bitmap(mn[key], height_px=48, max_width=DOTS[width_mm] - 16),
                        impl="bitImageRaster", center=True)
                p._raw(FS_CHINESE_ON)

        def both(key: str, chinese: Callable[[], None]) -> None:
            for step in _in_order(t, [lambda: mongol(key)], [chinese]):
                step()

        def category() -> None:
            p.set(align="center", double_width=True, double_height=True)
            p._raw(_gb(lines["category"]) + b"\n")

        p.set(align="center", normal_textsize=True)
        p._raw(_gb(lines["hall"]) + b"\n\n")
        both("label", lambda: p._raw(_gb("排队号") + b"\n"))
        p.set(align="center", custom_size=True, width=4, height=4)
        p._raw(_gb(t.code) + b"\n")
        both("category", category)
        if lines["priority"]:
            p._raw(_gb(lines["priority"]) + b"\n")
        p.set(align="center", normal_textsize=True)
        both("ahead", lambda: p._raw(_gb(lines["ahead"]) + b"\n"))
        p._raw(_gb(lines["time"]) + b"\n")
        p.qr(t.qr_payload(), size=6 if width_mm == 80 else 4, native=True, center=False)
        def notice_mn() -> None:
            if "notice" in mn:
                p._raw(FS_CHINESE_OFF)
                for line in _mongolian_bitmaps(mn["notice"], height_px=40, max_width=DOTS[width_mm] - 16):
                    p.image(line, impl="bitImageRaster", center=True)
                p._raw(FS_CHINESE_ON)

        if lines["notice"]:
            for step in _in_order(t, [notice_mn], [lambda: p._raw(_gb(lines["notice"]) + b"\n")]):
                step()
        p._raw(FS_CHINESE_OFF)
    else:
        raise PrintError(f"ESC/POS 打印方式 {mode!r} 不支持，可选 text（文字）或 raster（图像）")
    p.print_and_feed(3)
    p.cut()
    return bytes(p.output)
