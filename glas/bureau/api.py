"""Public API of the bureau: anonymised statistics (cells under five cases suppressed as null)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from glas.bureau.selectors import SMALL_CELL, bureau_statistics

router = Router(tags=["bureau"])


class CellOut(Schema):
    label: str
    count: int | None


class StatisticsOut(Schema):
    note: str
    small_cell_threshold: int
    total: int | None
    closed: int | None
    by_category: list[CellOut]
    by_kind: list[CellOut]
    by_settlement: list[CellOut]
    by_month: list[CellOut]
    median_days_to_close: float | None
    on_time_percent: float | None
    referrals: list[CellOut]
    generated_at: dt.datetime


@router.get(
    "/statistics",
    response=StatisticsOut,
    url_name="bureau_statistics",
    summary="Anonymised statistics of the citizens' bureau",
)
def statistics_api(request: HttpRequest) -> dict[str, Any]:
    note = (
        "Counts of cases received by the bureau. A count of fewer than "
        f"{SMALL_CELL} cases is given as null so that no one can be recognised."
    )
    return {"note": note, "small_cell_threshold": SMALL_CELL, **asdict(bureau_statistics())}
