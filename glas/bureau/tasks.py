"""Background work of the bureau. Tasks take ids, never objects."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

CONFIRM_SALT = "glas.bureau.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds a confirmation link stays valid


def confirmation_token(case_id: int) -> str:
    return signing.dumps({"case": case_id}, salt=CONFIRM_SALT, compress=True)


def case_id_from_confirmation(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    case_id = data.get("case") if isinstance(data, dict) else None
    return case_id if isinstance(case_id, int) else None


@task()
def send_case_confirmation(case_id: int) -> bool:
    """E-mail the signed link with which a person without an account confirms their request."""
    from glas.bureau.models import Case

    case = Case.objects.filter(pk=case_id, status=Case.Status.UNCONFIRMED).first()
    if case is None or not case.email:
        return False
    link = settings.GLAS_SITE_URL + reverse("bureau:confirm", args=[confirmation_token(case.pk)])
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("bureau/email/confirm.txt", {"case": case, "link": link})
        subject = " ".join(render_to_string("bureau/email/confirm_subject.txt", {"case": case}).split())
    send_mail(subject, body, None, [case.email])
    return True


@task()
def send_case_reply_email(message_id: int) -> bool:
    """E-mail a public reply to a citizen who has no account (the follow link is not included:
    only its hash is stored)."""
    from glas.bureau.models import CaseMessage

    message = CaseMessage.objects.select_related("case").filter(pk=message_id, kind=CaseMessage.Kind.REPLY).first()
    if message is None or not message.case.email or message.case.anonymised_at:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("bureau/email/reply.txt", {"case": message.case, "message": message})
        subject = " ".join(render_to_string("bureau/email/reply_subject.txt", {"case": message.case}).split())
    send_mail(subject, body, None, [message.case.email])
    return True


@task()
def send_appointment_email(appointment_id: int, kind: str) -> bool:
    """The booking confirmation or the reminder the day before (``kind``: booked or reminder)."""
    from glas.bureau.models import Appointment

    appointment = (
        Appointment.objects.select_related("slot", "slot__settlement")
        .filter(pk=appointment_id, status=Appointment.Status.BOOKED)
        .first()
    )
    if appointment is None or not appointment.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"appointment": appointment, "reminder": kind == "reminder"}
        body = render_to_string("bureau/email/appointment.txt", context)
        subject = " ".join(render_to_string("bureau/email/appointment_subject.txt", context).split())
    send_mail(subject, body, None, [appointment.email])
    return True


@task()
def run_bureau_deadlines() -> dict[str, int]:
    """Reminders before deadlines and appointments, lapse of unclarified ЗДОИ requests,
    anonymisation."""
    from glas.bureau import appointments, services

    return {
        "appointments_reminded": appointments.appointments_remind(),
        "reminded": services.deadlines_remind(),
        "lapsed": services.cases_lapse_unclarified(),
        "anonymised": services.cases_anonymise_expired(),
    }
