"""The supervisor screen's charts (QtCharts): tickets per hour, cases by decision, the wait-time distribution."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from app.reports.daily import DailyReport

DECISION_COLOURS = {"normal": "#2f6fb0", "deferred": "#e6a23c", "pledge": "#8e44ad", "supplement": "#d35400",
                    "refused": "#c0392b"}


class ChartPanel(QChartView):
    """One chart; ``show_report`` replaces its series. ``values()`` returns what is plotted (tests read it)."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(230)
        chart = QChart()
        chart.setTitle(title)
        font = QFont(self.font())
        font.setPointSizeF(11)
        chart.setTitleFont(font)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setVisible(False)
        chart.setBackgroundRoundness(4)
        self.setChart(chart)
        self._values: list[tuple[str, int]] = []

    def values(self) -> list[tuple[str, int]]:
        return list(self._values)

    def _reset(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        return chart

    def show_bars(self, labels: list[str], counts: list[int], colour: str, *, x_title: str = "") -> None:
        chart = self._reset()
        self._values = list(zip(labels, counts, strict=True))
        bars = QBarSet("")
        bars.append([float(c) for c in counts])
        bars.setColor(QColor(colour))
        bars.setLabelColor(QColor("#1f2933"))
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(labels)
        font = QFont(self.font())
        font.setPointSizeF(8)
        x.setLabelsFont(font)
        if x_title:
            x.setTitleText(x_title)
            x.setTitleFont(font)
        y = QValueAxis()
        top = max(counts, default=0)
        y.setRange(0, max(1, top * 1.2))
        y.setLabelFormat("%d")
        y.setTickCount(min(6, max(2, top + 1)))
        y.applyNiceNumbers()  # whole, round tick values
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)

    def show_pie(self, items: list[tuple[str, str, int]]) -> None:
        """``items``: (key, label, count); empty slices are left out."""
        chart = self._reset()
        self._values = [(label, n) for _k, label, n in items if n]
        series = QPieSeries()
        for key, label, n in items:
            if not n:
                continue
            piece = series.append(f"{label} {n}", float(n))
            piece.setLabelVisible(True)
            piece.setColor(QColor(DECISION_COLOURS.get(key, "#627d98")))
        series.setPieSize(0.62)
        chart.addSeries(series)
        chart.legend().setVisible(False)


def hour_bars(report: DailyReport) -> tuple[list[str], list[int]]:
    """Opening hours only: from the first to the last hour that had tickets (08–18 at least)."""
    counts = list(report.tickets_by_hour)
    used = [h for h, n in enumerate(counts) if n]
    lo = min([8, *used])
    hi = max([17, *used])
    return [f"{h}时" for h in range(lo, hi + 1)], counts[lo:hi + 1]


def show_report(report: DailyReport, *, hours: ChartPanel, decisions: ChartPanel, waits: ChartPanel) -> None:
    labels, counts = hour_bars(report)
    hours.show_bars(labels, counts, "#2f6fb0")
    decisions.show_pie([(r.key, r.label, r.count) for r in report.by_decision])
    # "10–20" fits under a bar in a half-width chart; "10–20 分钟" was cut to "10–2…". The unit is the axis title.
    waits.show_bars([r.label.replace(" 分钟", "").replace("以上", "+") for r in report.wait_histogram],
                    [r.count for r in report.wait_histogram], "#52a447", x_title="等候时长（分钟）")
