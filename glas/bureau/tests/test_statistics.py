"""Public statistics: anonymised, small cells suppressed, the same figures on the page and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from glas.bureau import services
from glas.bureau.selectors import bureau_statistics

pytestmark = pytest.mark.django_db


def test_small_cells_are_suppressed_on_the_page_and_in_the_api(client, register, advisor):
    for _ in range(6):
        case = register(advisor, category="taxes")
        services.case_reply(actor=advisor, case=case, body="Answer.", idempotency_key=None, final=True)
    register(advisor, category="health", subject="Рядък случай")
    stats = bureau_statistics(use_cache=False)
    counts = {cell.label: cell.count for cell in stats.by_category}
    assert counts == {"property and local taxes": 6, "health": None}
    assert stats.total == 7 and stats.closed == 6 and stats.on_time_percent == 100.0
    page = client.get(reverse("bureau:statistics"))
    assert page.status_code == 200 and "fewer than 5" in page.content.decode()
    assert "Рядък случай" not in page.content.decode()
    data = client.get("/api/v1/bureau/statistics").json()
    assert {cell["label"]: cell["count"] for cell in data["by_category"]} == counts
    assert data["small_cell_threshold"] == 5


def test_with_few_cases_even_the_totals_are_suppressed(client, register, advisor):
    register(advisor)
    data = client.get("/api/v1/bureau/statistics").json()
    assert data["total"] is None and data["median_days_to_close"] is None and data["on_time_percent"] is None


def test_unconfirmed_requests_are_not_counted(client):
    from glas.bureau.tests.conftest import INTAKE_POST

    client.post(reverse("bureau:ask"), INTAKE_POST)
    assert bureau_statistics(use_cache=False).by_kind == []


def test_each_language_gets_its_own_labels_though_the_figures_are_cached(client, register, advisor):
    for _ in range(5):
        register(advisor, category="taxes")
    url = reverse("bureau:statistics")
    bulgarian = client.get(url, headers={"Accept-Language": "bg"}).content.decode()
    assert "имоти и местни данъци" in bulgarian
    english = client.get(url, headers={"Accept-Language": "en"}).content.decode()  # after the Bulgarian, cached
    assert "property and local taxes" in english and "имоти и местни данъци" not in english
    assert client.get(url, headers={"Accept-Language": "bg"}).content.decode().count("имоти и местни данъци") == 1


def test_the_page_names_the_month_and_the_open_data_keeps_year_and_month(client, register, advisor):
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            register(advisor)
    url = reverse("bureau:statistics")
    assert "<td>септември 2026</td>" in client.get(url, headers={"Accept-Language": "bg"}).content.decode()
    assert "<td>September 2026</td>" in client.get(url, headers={"Accept-Language": "en"}).content.decode()
    data = client.get("/api/v1/bureau/statistics").json()
    assert data["by_month"] == [{"label": "2026-09", "count": 5}]
