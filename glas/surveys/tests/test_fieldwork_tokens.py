"""Invitation tokens are derived from a stored random nonce, so reminders can carry the link,
while the database holds only the nonce and a hash of the token."""

from __future__ import annotations

import hashlib

import pytest
from django.test import override_settings

from glas.core.exceptions import DomainError
from glas.surveys import services
from glas.surveys.models import Invitation
from glas.surveys.tests.fieldwork_helpers import VALID, make_confidential


@pytest.fixture
def confidential(researcher, civic_survey):
    return make_confidential(researcher, civic_survey)


def test_the_token_of_an_invitation_can_be_derived_again_and_finds_it(researcher, confidential):
    invitation, token = services.invitation_create(actor=researcher, survey=confidential, email="x@example.org")
    stored = Invitation.objects.get(pk=invitation.pk)
    assert services.invitation_token(stored) == token
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.token_nonce, stored.token_hash)
    assert len(token) >= 43


def test_two_invitations_have_different_nonces_and_tokens(researcher, confidential):
    first, first_token = services.invitation_create(actor=researcher, survey=confidential)
    second, second_token = services.invitation_create(actor=researcher, survey=confidential)
    assert first.token_nonce != second.token_nonce
    assert first_token != second_token


def test_the_nonce_alone_does_not_give_the_token_without_the_secret_key(researcher, confidential):
    invitation, token = services.invitation_create(actor=researcher, survey=confidential)
    with override_settings(SECRET_KEY="another-key-" + "x" * 40):
        assert services.invitation_token(invitation) != token


def test_an_invitation_made_before_nonces_has_no_token_to_derive(researcher, confidential):
    invitation, _token = services.invitation_create(actor=researcher, survey=confidential)
    Invitation.objects.filter(pk=invitation.pk).update(token_nonce="")
    invitation.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.invitation_token(invitation)
    assert error.value.code == "no_nonce"


def test_a_derived_token_opens_the_questionnaire_once_and_is_refused_once_used(researcher, confidential):
    invitation, _token = services.invitation_create(actor=researcher, survey=confidential)
    token = services.invitation_token(invitation)
    response = services.response_start(actor=None, survey=confidential, channel="invitation", token=token)
    services.response_save_answers(actor=None, response=response, answers=VALID)
    services.response_submit(actor=None, response=response, token=token)
    with pytest.raises(DomainError) as error:
        services.response_start(actor=None, survey=confidential, channel="invitation", token=token)
    assert error.value.code == "used"
    assert "already been used" in error.value.message


def test_the_same_address_cannot_be_invited_twice_to_one_survey(researcher, confidential):
    services.invitation_create(actor=researcher, survey=confidential, email="a@example.org")
    with pytest.raises(DomainError) as error:
        services.invitation_create(actor=researcher, survey=confidential, email=" A@example.org ")
    assert error.value.code == "already_invited"
    assert Invitation.objects.filter(survey=confidential).count() == 1


def test_the_same_person_cannot_be_invited_twice_to_one_survey(researcher, confidential, citizen):
    services.invitation_create(actor=researcher, survey=confidential, person=citizen)
    with pytest.raises(DomainError) as error:
        services.invitation_create(actor=researcher, survey=confidential, person=citizen)
    assert error.value.code == "already_invited"
