"""Background work of consultations. Tasks take ids, never objects."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from glas.consultations.models import Contribution


@task()
def send_confirmation_email(contribution_id: int) -> bool:
    """E-mail the one-use confirmation link of a contribution made without an account."""
    from glas.consultations.services import confirmation_token

    contribution = (
        Contribution.objects.select_related("draft")
        .filter(pk=contribution_id, status=Contribution.Status.UNCONFIRMED)
        .exclude(author_email="")
        .first()
    )
    if contribution is None:
        return False
    link = settings.GLAS_SITE_URL.rstrip("/") + reverse(
        "consultations:confirm", args=[confirmation_token(contribution)]
    )
    context = {"contribution": contribution, "draft": contribution.draft, "link": link}
    subject = " ".join(render_to_string("consultations/email/confirm_subject.txt", context).split())
    body = render_to_string("consultations/email/confirm_body.txt", context)
    send_mail(subject, body, None, [contribution.author_email])
    return True


@task()
def recompute_opinion_map(map_id: int) -> bool:
    """Recompute a consultation's opinion map (enqueued after votes; see services_opinion_map)."""
    from glas.consultations.services_opinion_map import opinion_map_recompute

    return opinion_map_recompute(map_id) is not None
