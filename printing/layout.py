"""The page frame every case document shares, and the building blocks documents are made of.

Each page carries the hall's name, the 受理编号 as Code128 and as text, the verification QR, "第 x 页 共 N 页"
and the document's title in the footer; reprints are marked 补打 on every page.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.errors import PrintError
from printing.barcodes import code128, draw_qr
from printing.data import CaseDoc, document_qr_text

if TYPE_CHECKING:
    from printing.bilingual import Both
from printing.fonts import FONT_NAME, register_fonts

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "A5": A5}
MARGIN = 15 * mm  # left and right
TOP = 11 * mm
BOTTOM = 14 * mm  # the body stops here; the page-number line sits below it
HEADER_H = 24 * mm
QR_SIZE = 21 * mm
INK = colors.black
RULE = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.92, 0.92, 0.92)
REPRINT_RED = colors.Color(0.75, 0.05, 0.05)


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    indent: ParagraphStyle
    small: ParagraphStyle
    first: ParagraphStyle  # body text, first line indented two ideographic spaces (2 em)
    first_small: ParagraphStyle  # the same for the small print
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_center: ParagraphStyle
    right: ParagraphStyle
    bilingual: bool = False  # Mongolian beside the Chinese of the fixed wording (printing.bilingual)
    scale: float = 1.0
    mongolian_first: bool = True  # Mongolian above the Chinese, else below (app.language)


def make_styles(scale: float = 1.0, *, bilingual: bool = False, mongolian_first: bool = True) -> Styles:
    """Paragraph styles in the shipped font; ``scale`` shrinks them a little for A5."""
    font = register_fonts()

    def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("leading", size * 1.5)
        return ParagraphStyle(name, fontName=font, fontSize=size * scale, wordWrap="CJK",
                              textColor=INK, **{k: (v * scale if k in ("leading", "spaceBefore", "spaceAfter",
                                                                     "firstLineIndent", "leftIndent") else v)
                                                for k, v in kw.items()})

    return Styles(
        title=style("title", 17, alignment=TA_CENTER, leading=22, spaceAfter=1),
        subtitle=style("subtitle", 10.5, alignment=TA_CENTER, spaceAfter=4),
        # A heading never ends a page alone: reportlab moves it to the next page with the flowable after it.
        heading=style("heading", 11.5, spaceBefore=5, spaceAfter=2, leading=16, keepWithNext=1),
        body=style("body", 10.5, alignment=TA_LEFT, leading=16),
        indent=style("indent", 10.5, firstLineIndent=21, leading=16),
        small=style("small", 8.5, leading=11.5),
        # Chinese paragraphs start two ideographic spaces in. Not as U+3000 text: reportlab drops leading spaces
        # of a line (after <br/> too), so the indent is the style's, 2 em of its own font size.
        first=style("first", 10.5, alignment=TA_LEFT, leading=16, firstLineIndent=21),
        first_small=style("first_small", 8.5, leading=11.5, firstLineIndent=17),
        cell=style("cell", 9.5, leading=12.5),
        cell_head=style("cell_head", 9.5, leading=12.5, alignment=TA_CENTER),
        cell_center=style("cell_center", 9.5, leading=12.5, alignment=TA_CENTER),
        right=style("right", 10.5, alignment=TA_RIGHT),
        bilingual=bilingual,
        scale=scale,
        mongolian_first=mongolian_first,
    )


def table_style(commands: Sequence[tuple[Any, ...]], st: Styles | None = None) -> TableStyle:
    """A table style whose cell font is ours: reportlab sets each cell's font (Helvetica by default) even when
    the cell holds only paragraphs, which would put a non-embedded font into the PDF."""
    size, leading = (st.cell.fontSize, st.cell.leading) if st is not None else (9.5, 12.5)
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT_NAME, size, leading), *commands])


def cn_quotes(text: str) -> str:
    """Straight double quotes typed into a value become “ ” (one quotation style per page, GB/T 15834): opening
    and closing alternate; a lone last one closes."""
    if '"' not in text:
        return text
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: applicant-typed values are escaped so ``&`` or ``<`` print as themselves, and
    their straight quotes print as “ ” like the templates' own."""
    return Paragraph(escape(cn_quotes(text)).replace("\n", "<br/>"), style)


def markup(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of trusted markup (our own templates; values inside must already be escaped)."""
    return Paragraph(text, style)


def fmt_date(value: dt.date | None, blank: str = "____年__月__日") -> str:
    if value is None:
        return blank
    return f"{value.year}年{value.month}月{value.day}日"


def fmt_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


CELL_PAD = 3  # left/right padding of every ruled table cell, points
NARROW_FRAME = 130 * mm  # a frame narrower than this (A5: 118 mm) gets the compact table layouts


def cell(text: str, style: ParagraphStyle, width: float) -> Flowable | str:
    """A table cell: plain text when it fits on one line (drawn directly by the table, several times cheaper
    than a Paragraph), else a wrapping Paragraph. Plain cells are not markup, so nothing needs escaping."""
    text = cn_quotes(text)
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PAD - 0.5:
        return text
    return para(text, style)


def kv_table(rows: Sequence[tuple[str, str | Both]], width: float, st: Styles, *, pairs: int = 1) -> Table:
    """Label/value grid; ``pairs=2`` puts two label/value pairs on each line (short values only). Labels carry
    their Mongolian on a bilingual paper; a :class:`~printing.bilingual.Both` value its catalog Mongolian."""
    from printing.bilingual import label_cell, value_cell

    label_w = 25 * mm
    cells: list[list[Any]] = []
    line: list[Any] = []
    value_w = (width - pairs * label_w) / pairs
    for label, value in rows:
        line += [label_cell(label, st, label_w), value_cell(value, st, value_w)]
        if len(line) == 2 * pairs:
            cells.append(line)
            line = []
    if line:
        line += [""] * (2 * pairs - len(line))
        cells.append(line)
    table = Table(cells, colWidths=[label_w, value_w] * pairs, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for col in range(0, 2 * pairs, 2):
        commands.append(("BACKGROUND", (col, 0), (col, -1), SHADE))
    table.setStyle(table_style(commands, st))
    return table


def kv_lines(lines: Sequence[Sequence[tuple[str, str | Both]]], width: float, st: Styles, *,
             label_w: float | None = None) -> Table:
    """Label/value grid with one or two pairs per line; a single pair spans the whole line (long values).
    Bilingual as :func:`kv_table`. The labels are narrower on a narrow page, so a 受理编号 still fits its value
    cell on one line."""
    from printing.bilingual import label_cell, value_cell

    if label_w is None:
        label_w = 25 * mm if width >= NARROW_FRAME else 19 * mm
    value_w = (width - 2 * label_w) / 2
    cells: list[list[Any]] = []
    spans: list[tuple[Any, ...]] = []
    for r, line in enumerate(lines):
        row: list[Any] = []
        for label, value in line[:2]:
            span = value_w if len(line) > 1 else width - label_w
            row += [label_cell(label, st, label_w), value_cell(value, st, span)]
        if len(line) == 1:
            row += ["", ""]
            spans.append(("SPAN", (1, r), (3, r)))
        cells.append(row)
    table = Table(cells, colWidths=[label_w, value_w, label_w, value_w], hAlign="LEFT")
    table.setStyle(table_style([
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        *[("BACKGROUND", (2, r), (2, r), SHADE) for r, line in enumerate(lines) if len(line) > 1],
        *spans,
    ], st))
    return table


def grid_table(header: Sequence[str], rows: Sequence[Sequence[str | Both]], col_widths: Sequence[float], st: Styles,
               *, centered: Sequence[int] = ()) -> Table:
    """A ruled table whose header row repeats on every page it spills onto; a :class:`~printing.bilingual.Both`
    value (a catalog name) prints its Mongolian beside the Chinese on a bilingual paper."""
    from printing.bilingual import Both as Both_
    from printing.bilingual import value_cell

    head = [cell(h, st.cell_head, col_widths[i]) for i, h in enumerate(header)]
    body = [[value_cell(v, st, col_widths[i]) if isinstance(v, Both_)
             else cell(v, st.cell_center if i in centered else st.cell, col_widths[i]) for i, v in enumerate(row)]
            for row in rows]
    table = Table([head, *body], colWidths=list(col_widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style([
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        *[("ALIGN", (i, 1), (i, -1), "CENTER") for i in centered],
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ], st))
    return table


SIGNATURE_RIGHT_W = 58 * mm  # the office's name, the box for its 专用章 and the date
# Below this width beside the seal, an office table of four columns has value cells a few characters wide
# (on A5 they were one character: 四子王旗政务服务中心 stacked a character a line), so the table goes above.
DETAILS_MIN_W = 100 * mm


def signature_block(width: float, st: Styles, *, office: str, seal_label: str = "（受理专用章）",
                    signer: str = "申请人（签字）", date: dt.date | None = None,
                    extra_left: Sequence[str] = (),
                    details: Sequence[Sequence[tuple[str, str | Both]]] = ()) -> Flowable:
    """Applicant signature on the left (under optional office ``details``); the office, a box for the 专用章
    and the date on the right. Kept together so a signature never lands alone on a page. On a narrow page the
    office details take the full width above the signature and the seal."""
    right_w = SIGNATURE_RIGHT_W
    left_w = width - right_w - 4 * mm
    above: list[Flowable] = []
    left: list[Flowable] = []
    if details and left_w < DETAILS_MIN_W:
        above += [kv_lines(details, width, st, label_w=21 * mm), Spacer(1, 2 * mm)]
    elif details:
        left += [kv_lines(details, left_w, st, label_w=21 * mm), Spacer(1, 3 * mm)]
    left += [para(line, st.body) for line in extra_left]
    if details and not above:  # room is short under the office table: signature and date share one line
        left += [Spacer(1, 3 * mm), para(f"{signer}：______________　日期：_____年___月___日", st.body)]
    else:
        left += [Spacer(1, 3 * mm), para(f"{signer}：________________", st.body), Spacer(1, 3 * mm),
                 para("日期：______年____月____日", st.body)]
    seal = Table([[para(seal_label, st.small)]], colWidths=[36 * mm], rowHeights=[23 * mm], hAlign="RIGHT")
    seal.setStyle(table_style([
        ("BOX", (0, 0), (-1, -1), 0.6, RULE, None, (2, 2)),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    right = [para(office, st.right), Spacer(1, 1.5 * mm), seal, Spacer(1, 1.5 * mm),
             para(fmt_date(date), st.right)]
    table = Table([[left, "", right]], colWidths=[left_w, 4 * mm, right_w])
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return KeepTogether([Spacer(1, 3 * mm), *above, table])


def title_block(title: str, st: Styles, subtitle: str = "") -> list[Flowable]:
    """The document's title (and subtitle), with its Mongolian above — or below, Chinese first — when bilingual."""
    chinese: list[Flowable] = [para(title, st.title)]
    if subtitle:
        chinese.append(para(subtitle, st.subtitle))
    if st.bilingual:
        from printing.bilingual import in_order, mongolian_title

        chinese = in_order(st.mongolian_first, mongolian_title(title, subtitle, scale=st.scale), chinese)
    return chinese if subtitle else [*chinese, Spacer(1, 3 * mm)]


class _NumberedCanvas(Canvas):
    """Defers each page until the end so the footer can say 共 N 页 (reportlab's two-pass recipe)."""

    footer_font = "ZCHei"
    footer_title = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _height = self._pagesize
        self.setFont(self.footer_font, 8.5)
        self.setFillColor(INK)
        self.drawCentredString(width / 2, BOTTOM - 6 * mm, f"第 {self._pageNumber} 页  共 {total} 页")
        self.drawString(MARGIN, BOTTOM - 6 * mm, self.footer_title)


def _header(canvas: Canvas, doc: CaseDoc, st: Styles, page_w: float, page_h: float, printed: dt.datetime) -> None:
    """Hall name, 受理编号 (barcode + text) and the verification QR across the top of every page."""
    top = page_h - TOP
    draw_qr(canvas, document_qr_text(doc), page_w - MARGIN - QR_SIZE, top - QR_SIZE, QR_SIZE)
    bar_max = min(62 * mm, page_w - 2 * MARGIN - QR_SIZE - 52 * mm)
    bar = code128(doc.case_no, bar_height=9 * mm, max_width=bar_max)
    bar_x = page_w - MARGIN - QR_SIZE - 3 * mm - bar.width
    bar.drawOn(canvas, bar_x, top - 12 * mm)
    canvas.setFont(st.body.fontName, 9)
    canvas.drawCentredString(bar_x + bar.width / 2, top - 16.5 * mm, doc.printed_case_no)
    name_w = bar_x - MARGIN - 3 * mm
    room = HEADER_H - 3 * mm  # everything on the left stacks top-down inside the header band
    hall = para(doc.hall.name, st.heading)
    _w, h = hall.wrap(name_w, room)
    hall.drawOn(canvas, MARGIN, top - h + 1 * mm)
    details = "　".join(x for x in (doc.hall.address, f"电话 {doc.hall.phone}" if doc.hall.phone else "") if x)
    if details:
        line = para(details, st.small)
        _w, lh = line.wrap(name_w, room)
        if h + lh > room and doc.hall.phone:  # a narrow (A5) header: the phone alone still fits
            line = para(f"电话 {doc.hall.phone}", st.small)
            _w, lh = line.wrap(name_w, room)
        if h + lh <= room + 1 * mm:
            line.drawOn(canvas, MARGIN, top - h - lh + 0.5 * mm)
    if doc.reprint:
        _reprint_stamp(canvas, st, page_w, top, printed)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - HEADER_H + 1 * mm, page_w - MARGIN, top - HEADER_H + 1 * mm)


def _reprint_stamp(canvas: Canvas, st: Styles, page_w: float, top: float, printed: dt.datetime) -> None:
    """补打 and when: on the first page just under the header rule at the right, beside the centred title (the
    body keeps its height); on later pages, whose body starts with a table there, in the footer band."""
    canvas.saveState()
    canvas.setStrokeColor(REPRINT_RED)
    canvas.setFillColor(REPRINT_RED)
    canvas.setLineWidth(1.2)
    box_w, box_h = 16 * mm, 8 * mm
    x = page_w - MARGIN - box_w
    y = top - HEADER_H - box_h - 1 * mm if canvas.getPageNumber() == 1 else BOTTOM - 9.5 * mm
    canvas.rect(x, y, box_w, box_h)
    canvas.setFont(st.body.fontName, 13)
    canvas.drawCentredString(x + box_w / 2, y + 2.2 * mm, "补打")
    canvas.setFont(st.body.fontName, 7)
    if canvas.getPageNumber() == 1:
        canvas.drawRightString(x + box_w, y - 3 * mm, "补打于 " + fmt_datetime(printed))
    else:
        canvas.drawRightString(x - 1.5 * mm, y + 3 * mm, "补打于 " + fmt_datetime(printed))
    canvas.restoreState()


_IDENTITY = re.compile(rb"/Keywords \(zc-doc:([a-z-]+) zc-case:([\x21-\x28\x2a-\x7e]+)\)")


def _identity_keywords(title: str, case_no: str) -> str:
    from printing import DOCUMENTS

    key = next((k for k, v in DOCUMENTS.items() if v == title), "")
    return f"zc-doc:{key} zc-case:{case_no}" if key else ""


def document_identity(pdf: bytes) -> tuple[str, str] | None:
    """``(doc, case_no)`` of a PDF this module rendered (kept in its Keywords), so a printed copy can be audited
    and re-rendered as 补打 by code that only holds the bytes."""
    found = _IDENTITY.search(pdf)
    return (found.group(1).decode(), found.group(2).decode()) if found else None


# Called with (title, paper, story, styles) before each layout: the document checks in tests/printing look at the
# flowables themselves (column widths), which the finished PDF no longer shows.
STORY_OBSERVERS: list[Callable[[str, str, list[Flowable], Styles], None]] = []


def build_pdf(doc: CaseDoc, title: str, story_fn: Callable[[float, Styles], list[Flowable]], *,
              paper: str = "A4") -> bytes:
    """Lay out ``story_fn(frame_width, styles)`` inside the shared page frame and return the PDF bytes."""
    if paper not in PAGE_SIZES:
        raise PrintError(f"纸张 {paper} 不支持，可选：{'、'.join(PAGE_SIZES)}")
    page_w, page_h = PAGE_SIZES[paper]
    st = make_styles(0.92 if paper == "A5" else 1.0, bilingual=doc.bilingual, mongolian_first=doc.mongolian_first)
    printed = doc.printed_at or doc.accepted_at
    frame_w = page_w - 2 * MARGIN
    frame = Frame(MARGIN, BOTTOM, frame_w, page_h - TOP - HEADER_H - BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer, pagesize=(page_w, page_h), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
        bottomMargin=BOTTOM, title=f"{title} {doc.case_no}", author=doc.hall.name, subject=doc.matter_name,
        creator="综窗受理客户端", pageCompression=1, invariant=1, keywords=_identity_keywords(title, doc.case_no),
        # Without this reportlab opens every page in Helvetica, which is never embedded.
        initialFontName=st.body.fontName,
    )
    template.addPageTemplates([PageTemplate(
        id="page", frames=[frame],
        onPage=lambda canvas, _d: _header(canvas, doc, st, page_w, page_h, printed),
    )])
    story = story_fn(frame_w, st)
    for observe in STORY_OBSERVERS:
        observe(title, paper, story, st)

    class Numbered(_NumberedCanvas):
        footer_font = st.body.fontName
        footer_title = f"{title}{'（补打）' if doc.reprint else ''}"

    try:
        template.build(story, canvasmaker=Numbered)
    except LayoutError as exc:  # a single flowable taller than a page: say which document, never half-print
        raise PrintError(f"{title}排版失败（内容过长无法分页）：{exc}") from exc
    return buffer.getvalue()
