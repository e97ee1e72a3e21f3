"""A supervisor's report as an A4 PDF (reportlab, the shipped CJK font embedded), and writing either export.

Lives in ``printing`` because the PDF needs the shipped font; the xlsx and the shared tables are in
``app.reports.export``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from app.errors import PrintError, StoreError
from app.reports.daily import DailyReport
from app.reports.export import _tables, title_of, to_csv, to_xlsx


def to_pdf(report: DailyReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from printing.fonts import register_fonts

    font = register_fonts()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=4)
    head = ParagraphStyle("head", fontName=font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    small = ParagraphStyle("small", fontName=font, fontSize=9, leading=12, textColor=colors.HexColor("#555555"))
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12)
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 9.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ])

    def table(header: list[str], body: list[list[Any]], widths: tuple[float, ...]) -> Table:
        if len(header) > len(widths):  # the per-person / per-window tables: name, five figures, the pauses
            widths = (30, 16, 22, 16, 16, 16, 174 - 116)
        head = [Paragraph(h, cell) for h in header] if len(header) > 2 else header
        data: list[list[Any]] = [head] + [[Paragraph(str(row[0]), cell), *[str(v) for v in row[1:-1]],
                                           Paragraph(str(row[-1]), cell) if len(row) > 2 else str(row[-1])]
                                          for row in body]
        t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        t.setStyle(style)
        return t

    story: list[object] = [Paragraph(title_of(report), title),
                           Paragraph("取号数只计已打印出票的号票；各项口径见《统计口径说明》。", small), Spacer(1, 4 * mm)]
    summary = [[label, value] for label, value, _d in report.summary()]
    half = (len(summary) + 1) // 2
    left, right = table(["项目", "数值"], summary[:half], (56, 29)), table(["项目", "数值"], summary[half:], (56, 29))
    pair = Table([[left, right]], colWidths=[89 * mm, 85 * mm])
    pair.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(pair)
    for name, header, body in _tables(report):
        if not body:
            continue
        story.append(KeepTogether([Paragraph(name, head), table(header, body, (128, 46))]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=title_of(report), author="综窗受理客户端",
                            # Without this reportlab opens every page in Helvetica, which is never embedded.
                            initialFontName=font)
    printed = f"{report.made_at:%Y-%m-%d %H:%M}"

    def footer(canvas: Any, document: Any) -> None:
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(18 * mm, 9 * mm, f"打印时间：{printed}")
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"第 {document.page} 页")

    try:
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    except Exception as exc:  # reportlab raises plain exceptions for layout problems
        raise PrintError(f"报表 PDF 生成失败：{exc}") from exc
    return buf.getvalue()


def write_report(report: DailyReport, path: Path, kind: str) -> Path:
    """Write ``kind`` (xlsx | csv | pdf) to ``path`` atomically (a half-written file never replaces a good one)."""
    from app.store.engine import fsync_file

    data = to_xlsx(report) if kind == "xlsx" else to_csv(report) if kind == "csv" else to_pdf(report)
    try:
        fsync_file(path, data)
    except OSError as exc:
        raise StoreError(f"无法写入报表文件 {path}：{exc.strerror or exc}") from None
    return path
