"""Appointments with an advisor: slots by place, booking online or entered for a caller, the
booking's secret link (cancel, calendar file), reminders the day before, no-show marking."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from glas.bureau.models import Appointment, AppointmentSlot
from glas.bureau.services import _require, clean_text, token_hash
from glas.core.audit import audit_log
from glas.core.enqueue import enqueue_on_commit
from glas.core.exceptions import DomainError

if TYPE_CHECKING:
    from glas.accounts.models import User
    from glas.core.models import Settlement

MAX_SLOTS_AT_ONCE = 40
BOOKING_HORIZON = dt.timedelta(days=60)
ACTIVE = (Appointment.Status.BOOKED, Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW)


def free_slots(*, settlement: Settlement | None = None, limit: int = 100) -> list[AppointmentSlot]:
    """Future slots nobody has booked, soonest first."""
    now = timezone.now()
    taken = Appointment.objects.filter(slot=OuterRef("pk")).exclude(status=Appointment.Status.CANCELLED)
    slots = (
        AppointmentSlot.objects.filter(starts_at__gt=now, starts_at__lt=now + BOOKING_HORIZON)
        .exclude(Exists(taken))
        .select_related("settlement", "advisor")
    )
    if settlement is not None:
        slots = slots.filter(settlement=settlement)
    return list(slots.order_by("starts_at", "id")[:limit])


def advisor_appointments(user: User, *, supervisor: bool) -> QuerySet[Appointment]:
    since = timezone.now() - dt.timedelta(days=14)
    appointments = Appointment.objects.filter(slot__starts_at__gte=since).select_related("slot", "slot__settlement")
    if not supervisor:
        appointments = appointments.filter(slot__advisor=user)
    return appointments.order_by("slot__starts_at", "id")


def slots_create(
    *, actor: User, settlement: Settlement, place: str, day: dt.date, start: dt.time, end: dt.time, minutes: int
) -> list[AppointmentSlot]:
    """Make consecutive slots of ``minutes`` from ``start`` to ``end`` on ``day`` for the actor."""
    _require(actor, "bureau.work_cases")
    place = clean_text(place, field="place", cap=200, required=True)
    if minutes not in (15, 20, 30, 45, 60):
        raise DomainError(_("Choose the length of an appointment."), field="minutes")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    begin = dt.datetime.combine(day, start, tzinfo=zone)
    finish = dt.datetime.combine(day, end, tzinfo=zone)
    if begin <= timezone.now():
        raise DomainError(_("Slots can only be made in the future."), field="day")
    length = dt.timedelta(minutes=minutes)
    starts: list[dt.datetime] = []
    while begin + length <= finish and len(starts) < MAX_SLOTS_AT_ONCE:
        starts.append(begin)
        begin += length
    if not starts:
        raise DomainError(_("The time from the start to the end must fit at least one appointment."), field="end")
    with transaction.atomic():
        existing = set(
            AppointmentSlot.objects.filter(advisor=actor, starts_at__in=starts).values_list("starts_at", flat=True)
        )
        slots = AppointmentSlot.objects.bulk_create(
            [
                AppointmentSlot(advisor=actor, settlement=settlement, place=place, starts_at=s, ends_at=s + length)
                for s in starts
                if s not in existing
            ]
        )
        audit_log(actor=actor, action="bureau.slots.created", data={"count": len(slots), "day": day.isoformat()})
    return slots


def appointment_book(
    *,
    actor: User | None,
    slot: AppointmentSlot,
    name: str,
    email: str,
    phone: str,
    topic: str,
    by_phone: bool = False,
) -> tuple[Appointment, str]:
    """Book a free slot (online, or entered by an advisor for a caller). Returns the booking and
    its secret token (for cancelling and the calendar file; stored only as a hash)."""
    from glas.bureau.tasks import send_appointment_email

    person = actor if actor is not None and actor.is_authenticated else None
    if by_phone:
        _require(actor, "bureau.work_cases")
    name = clean_text(name, field="name", cap=200, required=True)
    topic = clean_text(topic, field="topic", cap=200, required=True)
    email = clean_text(email, field="email", cap=254).lower()
    phone = clean_text(phone, field="phone", cap=50)
    if not (email or phone):
        raise DomainError(_("Give an e-mail address or a phone number."), field="email")
    if slot.starts_at <= timezone.now():
        raise DomainError(_("This time has passed. Choose another."), field="slot")
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                slot=slot,
                channel=Appointment.Channel.PHONE if by_phone else Appointment.Channel.WEB,
                topic=topic,
                name=name,
                email=email,
                phone=phone,
                citizen=None if by_phone else person,
                booked_by=person,
                token_hash=token_hash(token),
            )
            audit_log(actor=person, action="bureau.appointment.booked", obj=appointment)
            if email:
                enqueue_on_commit(send_appointment_email, appointment.pk, "booked")
    except IntegrityError:
        raise DomainError(_("Someone has just booked this time. Choose another."), field="slot") from None
    return appointment, token


def appointment_by_token(token: str) -> Appointment | None:
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        return None
    return Appointment.objects.select_related("slot", "slot__settlement").filter(token_hash=token_hash(token)).first()


def appointment_cancel(*, actor: User | None, appointment: Appointment) -> Appointment:
    if appointment.status != Appointment.Status.BOOKED or appointment.slot.starts_at <= timezone.now():
        raise DomainError(_("This appointment can no longer be cancelled here. Please phone the bureau."))
    with transaction.atomic():
        appointment.status = Appointment.Status.CANCELLED
        appointment.save(update_fields=["status"])
        audit_log(
            actor=actor if actor and actor.is_authenticated else None,
            action="bureau.appointment.cancelled",
            obj=appointment,
        )
    return appointment


def appointment_mark(*, actor: User, appointment: Appointment, status: str) -> Appointment:
    """The advisor records whether the person came (only once the time has begun)."""
    _require(actor, "bureau.work_cases")
    if appointment.slot.advisor_id != actor.pk and not actor.has_perm("bureau.supervise"):
        raise DomainError(_("You may not do this."), code="forbidden")
    if status not in (Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW):
        raise DomainError(_("Choose whether the person came."), field="status")
    if appointment.status == Appointment.Status.CANCELLED or appointment.slot.starts_at > timezone.now():
        raise DomainError(_("Only an appointment that has begun can be marked."), field="status")
    with transaction.atomic():
        appointment.status = status
        appointment.save(update_fields=["status"])
        audit_log(actor=actor, action="bureau.appointment.marked", obj=appointment, data={"status": status})
    return appointment


def appointment_ics(appointment: Appointment) -> bytes:
    """The appointment as an iCalendar file (RFC 5545) for the person's calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//Glas//Citizens' bureau//BG")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"bureau-appointment-{appointment.pk}@{settings.GLAS_SITE_URL.split('//')[-1]}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.slot.starts_at)
    event.add("dtend", appointment.slot.ends_at)
    event.add("summary", _("Appointment at the citizens' bureau"))
    event.add("location", f"{appointment.slot.place}, {appointment.slot.settlement.prefixed_name}")
    event.add("description", appointment.topic)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def appointments_remind(*, now: dt.datetime | None = None) -> int:
    """E-mail a reminder a day before each booked appointment (once)."""
    from glas.bureau.tasks import send_appointment_email

    now = now or timezone.now()
    due = Appointment.objects.filter(
        Q(status=Appointment.Status.BOOKED),
        reminded_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + dt.timedelta(days=1),
    ).exclude(email="")
    count = 0
    for appointment_id in list(due.values_list("id", flat=True)[:500]):
        with transaction.atomic():
            if Appointment.objects.filter(pk=appointment_id, reminded_at__isnull=True).update(reminded_at=now):
                enqueue_on_commit(send_appointment_email, appointment_id, "reminder")
                count += 1
    return count
