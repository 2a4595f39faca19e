"""Sending invitations and reminders by e-mail (tasks after commit, each e-mail once), and the
printed letters for invitations without an address."""

from __future__ import annotations

import re
import zlib

import pytest
from django.core import mail

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.core.pdf import html_to_pdf
from glas.surveys import letters, services
from glas.surveys.models import Invitation
from glas.surveys.tasks import send_invitation_emails
from glas.surveys.tests.fieldwork_helpers import make_confidential

pytestmark = pytest.mark.urls("glas.surveys.tests.urls_fieldwork")


@pytest.fixture
def confidential(researcher, civic_survey):
    return make_confidential(researcher, civic_survey)


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF: its page objects, also inside compressed object streams."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![s\w])", chunk)) for chunk in chunks)


def send(researcher, survey, kind, capture):
    with capture(execute=True):
        return services.invitations_send(actor=researcher, survey=survey, kind=kind)


def test_each_invitation_is_emailed_once_with_its_link_and_code(
    researcher, confidential, django_capture_on_commit_callbacks
):
    invited = [
        services.invitation_create(actor=researcher, survey=confidential, email=f"p{index}@example.org")
        for index in range(3)
    ]
    services.invitation_create(actor=researcher, survey=confidential)  # by letter: no e-mail
    assert send(researcher, confidential, "invitation", django_capture_on_commit_callbacks) == 3
    assert sorted(message.to[0] for message in mail.outbox) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    for invitation, token in invited:
        message = next(message for message in mail.outbox if message.to == [invitation.email])
        assert f"http://testserver/surveys/{confidential.public_id}/i/{token}/" in message.body
        assert f"http://testserver/surveys/{confidential.public_id}/" in message.body
        assert f"{invitation.short_code[:4]}-{invitation.short_code[4:]}" in message.body
        assert confidential.title in message.subject and "\n" not in message.subject
    assert Invitation.objects.filter(survey=confidential, sent_at__isnull=False).count() == 3
    assert send(researcher, confidential, "invitation", django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 3


def test_a_task_run_twice_sends_nothing_twice(researcher, confidential):
    invitation, _token = services.invitation_create(actor=researcher, survey=confidential, email="a@example.org")
    send_invitation_emails.call([invitation.pk], "invitation")
    send_invitation_emails.call([invitation.pk], "invitation")
    assert len(mail.outbox) == 1


def test_reminders_go_only_to_people_invited_who_have_not_answered(
    researcher, confidential, django_capture_on_commit_callbacks
):
    done, _token = services.invitation_create(actor=researcher, survey=confidential, email="done@example.org")
    waiting, _token = services.invitation_create(actor=researcher, survey=confidential, email="waiting@example.org")
    send(researcher, confidential, "invitation", django_capture_on_commit_callbacks)
    services.invitation_create(actor=researcher, survey=confidential, email="new@example.org")  # not invited yet
    Invitation.objects.filter(pk=done.pk).update(completed_at=done.created_at)
    invitation_subject = mail.outbox[0].subject
    mail.outbox.clear()
    assert send(researcher, confidential, "reminder", django_capture_on_commit_callbacks) == 1
    assert [message.to for message in mail.outbox] == [["waiting@example.org"]]
    assert mail.outbox[0].subject != invitation_subject and confidential.title in mail.outbox[0].subject
    assert send(researcher, confidential, "reminder", django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert Invitation.objects.get(pk=waiting.pk).reminded_at is not None
    actions = list(AuditEntry.objects.filter(action__startswith="surveys.invitations.").values_list("action", "data"))
    assert ("surveys.invitations.reminded", {"count": 1}) in actions


def test_an_email_that_fails_is_left_unsent_for_the_next_sending(researcher, confidential, monkeypatch):
    invitation, _token = services.invitation_create(actor=researcher, survey=confidential, email="a@example.org")

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("glas.surveys.tasks.send_mail", broken)
    assert send_invitation_emails.call([invitation.pk], "invitation") == 0
    assert Invitation.objects.get(pk=invitation.pk).sent_at is None


def test_emails_are_sent_only_during_fieldwork(researcher, civic_survey):
    draft = make_confidential(researcher, civic_survey, fieldwork=False)
    services.invitation_create(actor=researcher, survey=draft, email="a@example.org")
    with pytest.raises(DomainError) as error:
        services.invitations_send(actor=researcher, survey=draft)
    assert error.value.code == "not_fieldwork"


def test_an_unknown_kind_of_email_is_refused(researcher, confidential):
    with pytest.raises(DomainError) as error:
        services.invitations_send(actor=researcher, survey=confidential, kind="spam")
    assert error.value.field == "kind"


def test_letters_are_one_page_per_invitation_without_an_email_address(researcher, confidential, kresna):
    from glas.core.models import Settlement

    for slug in ("vlahi", "kresna", "oshtava"):
        services.invitation_create(actor=researcher, survey=confidential, settlement=Settlement.objects.get(slug=slug))
    services.invitation_create(actor=researcher, survey=confidential, email="a@example.org")
    invitations = letters.letter_invitations(confidential)
    html = letters.letters_html(confidential, invitations)
    for invitation in invitations:
        assert f"{invitation.short_code[:4]}-{invitation.short_code[4:]}" in html
    assert f"/surveys/{confidential.public_id}/" in html
    assert pdf_page_count(html_to_pdf(html)) == 3
