"""Consent texts are versioned; each acceptance of a version is recorded once."""

import pytest
from django.urls import reverse

from glas.accounts.models import ConsentAcceptance, ConsentText
from glas.accounts.services import consent_accept
from glas.core.models import AuditEntry

CONSENTS = reverse("accounts:consents")


@pytest.fixture
def accepted_everything(citizen):
    for text in ConsentText.objects.all():
        consent_accept(actor=citizen, consent=text)
    return citizen


@pytest.fixture
def new_terms(db):
    return ConsentText.objects.create(
        kind=ConsentText.Kind.TERMS,
        version=2,
        title="Условия за ползване (2026)",
        title_en="Terms of use (2026)",
        body="Нов текст.",
        body_en="New text.",
    )


def test_nothing_is_outstanding_once_everything_is_accepted(client_for, accepted_everything):
    response = client_for(accepted_everything).get(CONSENTS)
    assert response.status_code == 200
    assert response.context["outstanding"] == []


def test_a_new_version_is_listed_as_outstanding(client_for, accepted_everything, new_terms):
    client = client_for(accepted_everything)
    response = client.get(CONSENTS)
    assert response.context["outstanding"] == [new_terms]
    assert "Условия за ползване (2026)" in response.content.decode()
    profile = client.get(reverse("accounts:profile"))
    assert profile.context["outstanding_consents"] == [new_terms]
    assert CONSENTS in profile.content.decode()


def test_accepting_records_one_acceptance_and_one_audit_entry(client_for, accepted_everything, new_terms):
    client = client_for(accepted_everything)
    assert client.post(CONSENTS).status_code == 302
    assert client.post(CONSENTS).status_code == 302  # a double click
    assert ConsentAcceptance.objects.filter(user=accepted_everything, consent=new_terms).count() == 1
    entries = AuditEntry.objects.filter(action="accounts.consent.accepted", actor=accepted_everything)
    assert [entry.data for entry in entries if entry.data["version"] == 2] == [{"kind": "terms", "version": 2}]
    assert client.get(CONSENTS).context["outstanding"] == []


def test_accepting_touches_only_the_current_versions(client_for, citizen, new_terms):
    client_for(citizen).post(CONSENTS)
    accepted = set(ConsentAcceptance.objects.filter(user=citizen).values_list("consent__kind", "consent__version"))
    assert accepted == {("terms", 2), ("privacy", 1)}


def test_one_persons_acceptance_is_not_anothers(client_for, accepted_everything, make_user, new_terms):
    other = make_user("other@example.org")
    client_for(accepted_everything).post(CONSENTS)
    assert not ConsentAcceptance.objects.filter(user=other).exists()
    outstanding = client_for(other).get(CONSENTS).context["outstanding"]
    assert set(outstanding) == {new_terms, ConsentText.objects.get(kind="privacy")}


def test_the_consents_page_lists_what_was_accepted(client_for, accepted_everything):
    response = client_for(accepted_everything).get(CONSENTS)
    assert {(item.consent.kind, item.consent.version) for item in response.context["accepted"]} == {
        ("terms", 1),
        ("privacy", 1),
    }


def test_anonymous_visitors_are_sent_to_login(client_for, db):
    for response in (client_for(None).get(CONSENTS), client_for(None).post(CONSENTS)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not ConsentAcceptance.objects.exists()


def test_the_public_text_page_shows_the_newest_version(client_for, new_terms):
    response = client_for(None).get(reverse("accounts:consent_text", args=["terms"]))
    assert response.status_code == 200
    assert response.context["text"] == new_terms
    assert [text.version for text in response.context["versions"]] == [2, 1]


def test_an_unknown_kind_of_text_is_404(client_for, db):
    assert client_for(None).get(reverse("accounts:consent_text", args=["cookies"])).status_code == 404
