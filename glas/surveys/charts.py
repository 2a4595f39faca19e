"""The geometry every survey bar chart shares (the results page, findings in reports and the
analysis page, the fieldwork monitor): each bar's label on the line above it, in a drawing
narrow enough that a phone shows it near its own size, so its text stays readable. The charts
are server-drawn SVG in ``surveys/results_chart.html``, ``_finding_chart.html`` and
``fieldwork_bar_chart.html``; CSS shows them at most 26rem wide."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartGeometry:
    bar: int = 260  # the longest bar, in SVG user units
    row: int = 46  # a label's line and its bar's
    width: int = 330  # the bars and, after them, a value such as "100,0 %"


CHART = ChartGeometry()
