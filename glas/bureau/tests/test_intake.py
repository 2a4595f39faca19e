"""Intake: the web form (with an account, or confirmed by a signed e-mail link) and advisors'
entry of walk-in, phone, letter and e-mail contacts; the contents the law requires."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from glas.bureau.models import Case, CaseDeadline
from glas.bureau.services import CONSENT_VERSION
from glas.bureau.tests.conftest import INTAKE_POST
from glas.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_citizen_with_an_account_gets_a_reference_a_deadline_and_a_secret_link(client_for, citizen):
    client = client_for(citizen)
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False):
        response = client.post(reverse("bureau:ask"), {**INTAKE_POST, "consent_refer": "on"}, follow=True)
    assert response.status_code == 200
    case = Case.objects.get()
    assert re.fullmatch(r"БЮ-2026-\d{6}", case.reference)
    assert case.status == Case.Status.OPEN and case.citizen == citizen
    assert case.consent_process and case.consent_refer and case.consent_version == CONSENT_VERSION
    # The internal target: 14 days (rule bureau.inquiry.target) from 2 Nov 2026 is Mon 16 Nov.
    assert case.due_on == dt.date(2026, 11, 16)
    link = re.search(r'href="(http://testserver/bureau/follow/[^"]+)"', response.content.decode()).group(1)
    assert case.follow_token_hash and link.split("/")[-2] not in case.follow_token_hash
    assert client_for(None).get(link).status_code == 200
    assert AuditEntry.objects.filter(action="bureau.case.submitted").count() == 1


def test_without_an_account_the_request_waits_for_the_signed_e_mail_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bureau:ask"), INTAKE_POST)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == Case.Status.UNCONFIRMED and case.due_on is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["maria@example.org"]
    link = re.search(r"http://testserver(/bureau/confirm/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200  # a page with a button: mail scanners only GET
    case.refresh_from_db()
    assert case.status == Case.Status.UNCONFIRMED
    assert client.post(link).status_code == 200
    assert client.post(link).status_code == 200  # twice: idempotent
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.received_on is not None
    assert CaseDeadline.objects.filter(case=case).count() == 1


def test_a_forged_confirmation_link_is_404(client):
    assert client.post("/bureau/confirm/not-a-signed-value/").status_code == 404


def test_without_an_account_a_name_and_e_mail_are_needed(client):
    response = client.post(reverse("bureau:ask"), {**INTAKE_POST, "name": "", "email": ""})
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_without_consent_to_processing_nothing_is_stored(client):
    data = {key: value for key, value in INTAKE_POST.items() if key != "consent_process"}
    response = client.post(reverse("bureau:ask"), data)
    assert response.status_code == 400
    assert "agree that we process your data" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("name", "must give the applicant&#x27;s name"),
        ("address", "address for correspondence"),
        ("access_form", "preferred form of access"),
        ("description", "This field is required"),
    ],
)
def test_a_zdoi_request_missing_required_contents_is_refused(client_for, advisor, missing, message):
    data = {
        "channel": "letter",
        "kind": "zdoi",
        "category": "information",
        "subject": "Договори",
        "description": "Копия от договорите за снегопочистване",
        "access_form": "electronic",
        "name": "Иван Петров",
        "address": "ivan@example.org",
        "preferred_contact": "letter",
        "consent_process": "on",
    }
    data[missing] = ""
    if missing == "address":
        data["preferred_contact"] = "phone"
        data["phone"] = "0888"
    response = client_for(advisor).post(reverse("bureau:case_new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("kind", ["proposal", "signal"])
def test_an_anonymous_proposal_or_signal_is_refused_with_a_pointer_to_the_integrity_channel(client, kind):
    response = client.post(reverse("bureau:ask"), {**INTAKE_POST, "kind": kind, "name": ""})
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_an_anonymous_signal_entered_by_an_advisor_is_refused_too(client_for, advisor):
    data = {**INTAKE_POST, "channel": "phone", "kind": "signal", "name": "", "preferred_contact": "phone", "phone": "1"}
    response = client_for(advisor).post(reverse("bureau:case_new"), data)
    assert response.status_code == 400
    assert "integrity channel" in response.content.decode()
    assert not Case.objects.exists()


def test_an_advisor_records_a_walk_in_which_is_assigned_to_them_and_shows_the_link_once(client_for, advisor):
    client = client_for(advisor)
    data = {**INTAKE_POST, "channel": "walk_in", "preferred_contact": "in_person"}
    response = client.post(reverse("bureau:case_new"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("bureau:case_link", args=[case.reference])
    assert case.assigned_to == advisor and case.channel == "walk_in" and case.status == Case.Status.OPEN
    page = client.get(response.url)
    assert "/bureau/follow/" in page.content.decode()
    assert client.get(response.url).status_code == 302  # shown once


def test_references_count_up_within_the_year(register, advisor):
    first, second = register(advisor), register(advisor)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_hidden_characters_in_a_request_are_refused(client):
    response = client.post(reverse("bureau:ask"), {**INTAKE_POST, "subject": "Данък\u202eсгради"})
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_extra_fields_such_as_status_or_assignee_are_ignored(client_for, citizen, advisor):
    client_for(citizen).post(reverse("bureau:ask"), {**INTAKE_POST, "status": "closed", "assigned_to": advisor.pk})
    case = Case.objects.get()
    assert case.status == Case.Status.OPEN and case.assigned_to is None


def test_the_web_form_is_rate_limited(client, settings):
    settings.BUREAU_ASK_RATE_LIMIT = 2
    statuses = [client.post(reverse("bureau:ask"), INTAKE_POST).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_the_form_states_the_zdoi_term_from_its_legal_rule(client, admin_user):
    from django.utils import timezone

    from glas.core.services import legal_rule_change

    assert "decided within 14 days" in client.get(reverse("bureau:ask")).content.decode()
    legal_rule_change(
        actor=admin_user, key="zdoi.decision.term", value="21", effective_from=timezone.localdate(), legal_basis="test"
    )
    assert "decided within 21 days" in client.get(reverse("bureau:ask")).content.decode()
