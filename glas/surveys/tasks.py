"""Background work of surveys. Tasks take ids, never objects."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from glas.surveys.models import Invitation

logger = logging.getLogger(__name__)


@task()
def send_invitation_emails(invitation_ids: list[int], kind: str = "invitation") -> int:
    """E-mail the invitations (or reminders) with these ids, each at most once; returns how
    many were sent.

    Each invitation is first claimed with a conditional UPDATE (``sent_at`` or ``reminded_at``
    set where still empty, and for a reminder only while not completed), so a second run, or a
    second task with the same ids, sends nothing again. When an e-mail cannot be sent the claim
    is released, so a later sending reaches that person, and the others still go."""
    from glas.surveys.letters import email_context

    stamp = "reminded_at" if kind == "reminder" else "sent_at"
    sent = 0
    for invitation_id in invitation_ids:
        claimed_at = timezone.now()
        pending = Invitation.objects.filter(pk=invitation_id, **{f"{stamp}__isnull": True}).exclude(email="")
        if kind == "reminder":
            pending = pending.filter(sent_at__isnull=False, completed_at__isnull=True)
        if not pending.update(**{stamp: claimed_at}):
            continue
        invitation = Invitation.objects.select_related("survey", "person").get(pk=invitation_id)
        language = invitation.person.language if invitation.person else settings.LANGUAGE_CODE
        try:
            with translation.override(language or settings.LANGUAGE_CODE):
                context = {**email_context(invitation), "reminder": kind == "reminder"}
                subject = " ".join(render_to_string("surveys/email/invitation_subject.txt", context).split())
                body = render_to_string("surveys/email/invitation_body.txt", context)
                send_mail(subject, body, None, [invitation.email])
        except Exception:
            logger.exception("The survey e-mail for invitation %s could not be sent.", invitation_id)
            Invitation.objects.filter(pk=invitation_id, **{stamp: claimed_at}).update(**{stamp: None})
            continue
        sent += 1
    return sent
