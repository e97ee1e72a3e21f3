"""A report as an Excel workbook (openpyxl) or an A4 PDF (reportlab, with the shipped CJK font embedded)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from app.errors import PrintError, StoreError
from app.reports.daily import DailyReport, Row

INDICATOR_LABELS = {"overall": "整体满意度", "efficiency": "服务效率", "service": "服务水平", "attitude": "服务态度"}


def _tables(report: DailyReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, header, rows) of every breakdown, shared by both formats."""

    def rows(items: tuple[Row, ...]) -> list[list[Any]]:
        return [[r.label, r.count] for r in items]

    hours = [[f"{h:02d}:00–{h + 1:02d}:00", n] for h, n in enumerate(report.tickets_by_hour) if n]
    indicators = [[INDICATOR_LABELS[k], "—" if v is None else round(v, 2)] for k, v in report.indicator_avgs]
    return [
        ("按受理结果", ["受理结果", "件数"], rows(report.by_decision)),
        ("按事项", ["事项", "件数"], rows(report.by_matter)),
        ("按部门", ["部门", "件数"], rows(report.by_department)),
        ("按窗口", ["窗口", "件数"], rows(report.by_window)),
        ("按人员", ["受理人", "件数"], rows(report.by_clerk)),
        ("评价等级", ["等级", "条数"], rows(report.by_level)),
        ("评价指标均分", ["指标", "平均分（1–5）"], indicators),
        ("等候时长分布", ["等候时长", "号数"], rows(report.wait_histogram)),
        ("分时段取号", ["时段", "取号数"], hours),
    ]


def title_of(report: DailyReport) -> str:
    return f"{report.hall_name} 业务统计日报（{report.period_label}）"


def to_xlsx(report: DailyReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "概览"
    ws.append([title_of(report)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["项目", "数值"])
    for label, value, _drill in report.summary():
        ws.append([label, _number(value)])
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 16
    for title, header, body in _tables(report):
        sheet = wb.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in body:
            sheet.append(line)
        sheet.column_dimensions["A"].width = 44
        sheet.column_dimensions["B"].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(text: str) -> object:
    """Counts go into the sheet as numbers (so a supervisor can sum them); durations and rates stay text."""
    return int(text) if text.isdigit() else text


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

    def table(header: list[str], body: list[list[Any]], widths: tuple[float, float]) -> Table:
        data: list[list[Any]] = [header] + [[Paragraph(str(a), cell), str(b)] for a, b in body]
        t = Table(data, colWidths=[widths[0] * mm, widths[1] * mm], repeatRows=1)
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
    printed = dt.datetime.now().strftime("%Y-%m-%d %H:%M")

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
    """Write ``kind`` (xlsx | pdf) to ``path`` atomically (a half-written file never replaces a good one)."""
    from app.store.engine import fsync_file

    data = to_xlsx(report) if kind == "xlsx" else to_pdf(report)
    try:
        fsync_file(path, data)
    except OSError as exc:
        raise StoreError(f"无法写入报表文件 {path}：{exc.strerror or exc}") from None
    return path
