"""Supervisor reports: the day's counts (daily), the cases behind a number (drill), xlsx/PDF export (export)."""

from app.reports.daily import DailyReport, Row, daily_report
from app.reports.drill import CaseLine, case_lines

__all__ = ["CaseLine", "DailyReport", "Row", "case_lines", "daily_report"]
