"""The working calendar: council staff add and remove one-off days; nobody else can."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from glas.core.deadlines import WorkingCalendar, due_date
from glas.core.models import AuditEntry, CalendarDay
from glas.core.services import calendar_day_add

URL = reverse("core:calendar")
BRIDGE_DAY = {"date": "2026-12-31", "kind": "non_working", "reason": "РМС № 123/2026"}


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC))


@pytest.mark.parametrize("persona", ["council_secretary", "admin_user"])
def test_staff_add_a_bridge_day_that_moves_deadlines(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 200
    response = client.post(URL, BRIDGE_DAY)

    assert response.status_code == 302
    assert CalendarDay.objects.get().date == dt.date(2026, 12, 31)
    assert due_date(dt.date(2026, 12, 17), days=14, cal=WorkingCalendar.load()) == dt.date(2027, 1, 4)


@pytest.mark.parametrize(
    "persona", ["citizen", "verified_resident", "advisor", "commission_member", "integrity_officer", "researcher"]
)
def test_others_may_neither_see_nor_change_the_calendar(request, client_for, council_secretary, persona):
    day = calendar_day_add(actor=council_secretary, date=dt.date(2026, 12, 31), kind="non_working", reason="РМС")
    client = client_for(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {**BRIDGE_DAY, "date": "2027-01-04"}).status_code == 403
    assert client.post(reverse("core:calendar_day_remove", args=[day.pk])).status_code == 403
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [dt.date(2026, 12, 31)]


def test_the_same_date_twice_is_a_field_error(client_for, council_secretary):
    client = client_for(council_secretary)
    client.post(URL, BRIDGE_DAY)

    response = client.post(URL, {**BRIDGE_DAY, "kind": "working"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["date"]
    assert CalendarDay.objects.get().kind == "non_working"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2026-02-30"}, "date"),
        ({"kind": "holiday"}, "kind"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 301}, "reason"),
        ({"reason": "РМС\u200b"}, "reason"),
    ],
)
def test_bad_input_is_a_field_error(client_for, council_secretary, overrides, field):
    response = client_for(council_secretary).post(URL, {**BRIDGE_DAY, **overrides})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not CalendarDay.objects.exists()


def test_staff_remove_a_day(client_for, council_secretary):
    day = calendar_day_add(actor=council_secretary, date=dt.date(2026, 12, 31), kind="non_working", reason="РМС")
    client = client_for(council_secretary)

    assert client.get(reverse("core:calendar_day_remove", args=[day.pk])).status_code == 405
    response = client.post(reverse("core:calendar_day_remove", args=[day.pk]))

    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    assert AuditEntry.objects.filter(action="core.calendar_day.removed", actor=council_secretary).count() == 1
    assert client.post(reverse("core:calendar_day_remove", args=[day.pk])).status_code == 404


def test_the_calendar_page_lists_the_coming_official_holidays(client_for, council_secretary):
    page = client_for(council_secretary).get(URL).content.decode()

    assert "24.12.2026" in page and "03.03.2027" in page
