"""Background work of initiatives. Tasks take ids, never objects."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from glas.initiatives.models import CommitteeMember, Initiative, Signature

logger = logging.getLogger(__name__)

BATCH = 500
EVENTS = {
    "registered": "initiatives.registered",
    "submitted": "initiatives.submitted",
    "verified": "initiatives.verified",
    "decided": "initiatives.decided",
    "outcome": "initiatives.outcome",
}


def _message(initiative: Initiative, event: str) -> tuple[str, str]:
    title = initiative.title
    if event == "registered":
        return _("“%(title)s” is registered and collecting signatures") % {"title": title}, ""
    if event == "submitted":
        return _("The signatures for “%(title)s” were submitted") % {"title": title}, _(
            "The initiative committee handed in the signatures; they will now be verified."
        )
    if event == "verified":
        return _("The signatures for “%(title)s” were verified") % {"title": title}, _(
            "Valid signatures: %(valid)s. The decision is due by %(due)s."
        ) % {"valid": initiative.official_valid, "due": initiative.decision_due_on}
    if event == "decided":
        return _("Decision on “%(title)s”: %(decision)s") % {
            "title": title,
            "decision": initiative.get_decision_display(),
        }, initiative.decision_reasons
    return _("Result of the referendum on “%(title)s”") % {"title": title}, (
        _("The referendum is valid.") if initiative.outcome_valid else _("The referendum is not valid.")
    )


@task()
def notify_signers(initiative_id: int, event: str) -> int:
    """Tell every online signer (and the committee) of a status change, each per their
    notification preferences (``core.services.notify``). Returns how many were notified."""
    from glas.accounts.models import User
    from glas.core.services import notify

    if event not in EVENTS:
        return 0
    initiative = Initiative.objects.get(pk=initiative_id)
    url = reverse("initiatives:detail", args=[initiative.public_id])
    people = (
        User.objects.filter(
            Q(signatures__initiative_id=initiative_id) & ~Q(signatures__status=Signature.Status.WITHDRAWN)
            | Q(pk__in=CommitteeMember.objects.filter(initiative_id=initiative_id).values("user_id"))
        )
        .filter(is_active=True, deleted_at__isnull=True)
        .distinct()
        .order_by("pk")
        .prefetch_related("notification_preferences")
    )
    sent = 0
    last = 0
    while True:
        batch = list(people.filter(pk__gt=last)[:BATCH])
        if not batch:
            return sent
        for person in batch:
            with translation.override(person.language or settings.LANGUAGE_CODE):
                title, body = _message(initiative, event)
                notify(recipients=[person], kind=EVENTS[event], title=title, body=body, url=url)
            sent += 1
        last = batch[-1].pk


@task()
def confirm_signature(signature_public_id: str | int) -> bool:
    """Tell an online signer that their signature is recorded: in the app, and by e-mail if
    their preferences ask for it. Nothing when the signature is gone or was withdrawn. (Tasks
    queued before signing wrote them in one batch carry the row's id instead of its public id.)"""
    from glas.core.services import notify

    key: dict[str, str | int] = (
        {"pk": signature_public_id} if isinstance(signature_public_id, int) else {"public_id": signature_public_id}
    )
    signature = (
        Signature.objects.select_related("initiative", "signer")
        .filter(signer__isnull=False, **key)
        .exclude(status=Signature.Status.WITHDRAWN)
        .first()
    )
    if signature is None or signature.signer is None:
        return False
    signer, initiative = signature.signer, signature.initiative
    with translation.override(signer.language or settings.LANGUAGE_CODE):
        notify(
            recipients=[signer],
            kind="initiatives.signed",
            title=_("Your signature for “%(title)s” is recorded") % {"title": initiative.title},
            url=reverse("initiatives:detail", args=[initiative.public_id]),
        )
    return True


@task()
def send_committee_invitation(member_id: int, token: str) -> bool:
    """E-mail a committee member the link to confirm their membership (the token is not stored
    in clear anywhere)."""
    member = (
        CommitteeMember.objects.select_related("initiative").filter(pk=member_id, confirmed_at__isnull=True).first()
    )
    if member is None:
        return False
    link = settings.GLAS_SITE_URL + reverse("initiatives:committee_confirm", args=[token])
    with translation.override(settings.LANGUAGE_CODE):
        context = {"member": member, "initiative": member.initiative, "link": link}
        subject = " ".join(render_to_string("initiatives/email/committee_subject.txt", context).split())
        body = render_to_string("initiatives/email/committee_body.txt", context)
        send_mail(subject, body, None, [member.email])
    return True
