"""Appointments: slots by place, online and phone booking, one booking per slot, the calendar
file, cancelling by secret link, reminders, no-show marking."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from glas.bureau import appointments
from glas.bureau.models import Appointment, AppointmentSlot
from glas.core.exceptions import DomainError
from glas.core.models import Settlement

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def slots(advisor) -> list[AppointmentSlot]:
    return appointments.slots_create(
        actor=advisor,
        settlement=Settlement.objects.get(slug="slivnitsa"),
        place="Кметството",
        day=dt.date(2026, 12, 3),
        start=dt.time(13),
        end=dt.time(15),
        minutes=30,
    )


def test_an_advisor_opens_slots_in_a_village_and_they_are_listed(client, slots):
    assert len(slots) == 4
    page = client.get(reverse("bureau:slots")).content.decode()
    assert "Кметството" in page and page.count(reverse("bureau:book", args=[slots[0].pk])) == 1


def test_online_booking_gives_a_secret_page_a_calendar_file_and_an_e_mail(
    client, slots, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bureau:book", args=[slots[0].pk]),
            {"name": "Мария", "email": "maria@example.org", "topic": "Помощ за отопление"},
            follow=True,
        )
    assert response.status_code == 200 and "Помощ за отопление" in response.content.decode()
    assert len(mail.outbox) == 1
    page_url = response.redirect_chain[-1][0]
    ics = client.get(page_url + "calendar.ics")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slots[0].starts_at
    assert "Кметството" in str(event.get("location"))
    assert client.post(page_url).status_code == 302
    assert Appointment.objects.get().status == Appointment.Status.CANCELLED


def test_a_slot_is_booked_once(client, slots):
    url = reverse("bureau:book", args=[slots[0].pk])
    data = {"name": "Мария", "phone": "0888", "topic": "Въпрос"}
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    assert second.status_code == 400 and "Someone has just booked" in second.content.decode()
    assert slots[0].pk not in [s.pk for s in appointments.free_slots()]


def test_a_wrong_booking_link_is_404(client):
    assert client.get(reverse("bureau:appointment", args=["x" * 32])).status_code == 404
    assert client.get(reverse("bureau:appointment_ics", args=["x" * 32])).status_code == 404


def test_an_advisor_enters_a_phone_booking(client_for, advisor, slots):
    client_for(advisor).post(
        reverse("bureau:book", args=[slots[1].pk]),
        {"name": "Иван", "phone": "0888", "topic": "Данъци", "by_phone": "1"},
    )
    booking = Appointment.objects.get()
    assert booking.channel == Appointment.Channel.PHONE and booking.booked_by == advisor


def test_a_citizen_cannot_claim_a_phone_booking(client_for, citizen, slots):
    client_for(citizen).post(
        reverse("bureau:book", args=[slots[1].pk]),
        {"name": "Иван", "phone": "0888", "topic": "Данъци", "by_phone": "1"},
    )
    assert Appointment.objects.get().channel == Appointment.Channel.WEB


def test_reminders_go_the_day_before_once(slots, django_capture_on_commit_callbacks):
    booking, _token = appointments.appointment_book(
        actor=None, slot=slots[0], name="Мария", email="maria@example.org", phone="", topic="Въпрос"
    )
    mail.outbox.clear()
    assert appointments.appointments_remind(now=NOW) == 0
    day_before = slots[0].starts_at - dt.timedelta(hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert appointments.appointments_remind(now=day_before) == 1
    assert appointments.appointments_remind(now=day_before) == 0
    assert len(mail.outbox) == 1 and "reminder" in mail.outbox[0].subject.lower()


def test_no_show_is_marked_only_after_the_time_and_only_by_the_advisor(client_for, advisor, other_advisor, slots):
    booking, _token = appointments.appointment_book(actor=None, slot=slots[0], name="М", email="", phone="1", topic="В")
    with pytest.raises(DomainError):
        appointments.appointment_mark(actor=advisor, appointment=booking, status="no_show")
    with time_machine.travel(slots[0].starts_at + dt.timedelta(minutes=40), tick=False):
        url = reverse("bureau:appointment_mark", args=[booking.pk])
        assert client_for(other_advisor).post(url, {"status": "no_show"}).status_code == 403
        assert client_for(advisor).post(url, {"status": "no_show"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Appointment.Status.NO_SHOW


def test_slots_must_be_in_the_future_and_fit(advisor):
    kresna = Settlement.objects.get(slug="kresna")
    with pytest.raises(DomainError):
        appointments.slots_create(
            actor=advisor,
            settlement=kresna,
            place="Офис",
            day=dt.date(2026, 11, 29),
            start=dt.time(9),
            end=dt.time(10),
            minutes=30,
        )
    with pytest.raises(DomainError):
        appointments.slots_create(
            actor=advisor,
            settlement=kresna,
            place="Офис",
            day=dt.date(2026, 12, 1),
            start=dt.time(9),
            end=dt.time(9, 15),
            minutes=30,
        )
