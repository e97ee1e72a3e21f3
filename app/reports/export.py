"""A report as an Excel workbook (openpyxl) or CSV; the tables it shares with the PDF in ``printing.report``.

Every exported cell goes through :func:`neutral_cell`: a clerk named ``=1+2`` or a matter name from the hub
starting with ``@`` or ``-`` must arrive in the supervisor's spreadsheet as text, never as a live formula
(CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from app.reports.daily import DailyReport, Row, fmt_duration
from app.reports.staff_figures import FigureRow
from app.vocabulary import RATING_INDICATOR_LABELS


def _tables(report: DailyReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, header, rows) of every breakdown, shared by both formats."""

    def rows(items: tuple[Row, ...]) -> list[list[Any]]:
        return [[r.label, r.count] for r in items]

    hours = [[f"{h:02d}:00–{h + 1:02d}:00", n] for h, n in enumerate(report.tickets_by_hour) if n]
    indicators = [[RATING_INDICATOR_LABELS[k], "—" if v is None else round(v, 2)] for k, v in report.indicator_avgs]
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
        ("按人员绩效", ["人员", *FIGURE_HEADER], [_figures(r) for r in report.staff.clerks]),
        ("按窗口绩效", ["窗口", *FIGURE_HEADER], [_figures(r) for r in report.staff.windows]),
    ]


FIGURE_HEADER = ["办结号数", "平均办理", "受理办件", "好评率", "逾期办件", "暂停（原因 次数 时长）"]


def _figures(r: FigureRow) -> list[Any]:
    """One clerk's / window's line of the per-person and per-window tables (app.reports.staff_figures)."""
    rate = "—" if r.good_rate is None else f"{r.good_rate * 100:.1f}%"
    return [r.label, r.served, fmt_duration(r.handling_avg_s), r.cases, rate, r.overdue, r.pause_text]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral_cell(value: Any) -> Any:
    """A text that a spreadsheet would read as a formula gets a leading apostrophe (OWASP's advice); numbers and
    every other text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _sheets(report: DailyReport) -> list[tuple[str, list[list[Any]]]]:
    """(sheet title, rows) of the whole report, every cell neutralised: the overview first, then each table."""
    overview: list[list[Any]] = [["项目", "数值"]]
    overview += [[label.strip("　"), _number(value)] for label, value, _drill in report.summary()]
    sheets = [("概览", overview)] + [(title, [header, *body]) for title, header, body in _tables(report)]
    return [(title, [[neutral_cell(cell) for cell in row] for row in rows]) for title, rows in sheets]


def to_csv(report: DailyReport) -> bytes:
    """The report as one CSV (UTF-8 with BOM so Excel reads the Chinese): a title line, then each table after a
    line naming it."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutral_cell(title_of(report))])
    for title, rows in _sheets(report):
        writer.writerow([])
        writer.writerow([neutral_cell(title)])
        writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def title_of(report: DailyReport) -> str:
    return f"{report.hall_name} 业务统计日报（{report.period_label}）"


def to_xlsx(report: DailyReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    (_overview, overview), *tables = _sheets(report)
    ws.title = "概览"
    ws.append([neutral_cell(title_of(report))])
    ws["A1"].font = Font(bold=True, size=14)
    for line in overview:
        ws.append(line)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 16
    for title, rows in tables:
        sheet = wb.create_sheet(title)
        for line in rows:
            sheet.append(line)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 44
        sheet.column_dimensions["B"].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(text: str) -> object:
    """Counts go into the sheet as numbers (so a supervisor can sum them); durations and rates stay text."""
    return int(text) if text.isdigit() else text
