"""/api/v1/me: the browser session or a personal bearer token; nothing else."""

from __future__ import annotations

import pytest
from django.test import Client

from glas.api.models import ApiToken
from glas.api.services import api_token_create, api_token_revoke
from glas.core.models import AuditEntry

ME = "/api/v1/me"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_anonymous_request_is_401(db, client):
    assert client.get(ME).status_code == 401


def test_the_browser_session_is_enough(citizen, client_for):
    response = client_for(citizen).get(ME)

    assert response.status_code == 200
    assert response.json() == {"public_name": "Мария", "language": "bg", "verification_level": 1, "roles": ["citizen"]}


def test_a_personal_token_signs_the_request_in(citizen, client):
    token, secret = api_token_create(actor=citizen, name="Моят скрипт")

    response = client.get(ME, headers=bearer(secret))

    assert response.status_code == 200
    assert response.json()["public_name"] == "Мария"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_a_hash_of_the_token_is_stored(citizen):
    token, secret = api_token_create(actor=citizen, name="Моят скрипт")

    assert secret.startswith("glas_") and len(secret) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(stored)
    assert secret not in str(AuditEntry.objects.filter(action="api.token.created").values().get())


def test_a_revoked_token_is_401(citizen, client):
    token, secret = api_token_create(actor=citizen, name="Моят скрипт")
    api_token_revoke(actor=citizen, token=token)

    assert client.get(ME, headers=bearer(secret)).status_code == 401
    assert AuditEntry.objects.filter(action="api.token.revoked", actor=citizen, object_id=str(token.pk)).count() == 1


def test_the_token_of_a_deactivated_person_is_401(citizen, client):
    _token, secret = api_token_create(actor=citizen, name="Моят скрипт")
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])

    assert client.get(ME, headers=bearer(secret)).status_code == 401


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer",
        "Bearer ",
        "Bearer nonsense",
        "Bearer glas_",
        "Bearer glas_" + "A" * 43,
        "Bearer glas_" + "A" * 5000,
        "Basic Y2l0aXplbkBleGFtcGxlLm9yZzpwYXNzd29yZA==",
        "Token glas_abc",
        "Bearer glas_' OR '1'='1",
        "Bearer glas_\u202eabc",
    ],
)
def test_a_malformed_or_unknown_token_is_401(citizen, client, authorization):
    api_token_create(actor=citizen, name="Моят скрипт")

    assert client.get(ME, headers={"Authorization": authorization}).status_code == 401


def test_a_token_is_no_use_with_a_wrong_prefix(citizen, client):
    _token, secret = api_token_create(actor=citizen, name="Моят скрипт")

    assert client.get(ME, headers=bearer(secret.replace("glas_", "GLAS_"))).status_code == 401
    assert client.get(ME, headers=bearer(secret[:-1])).status_code == 401


def test_creating_a_token_is_audited_and_limited(citizen):
    for number in range(10):
        api_token_create(actor=citizen, name=f"Скрипт {number}")

    from glas.core.exceptions import DomainError

    with pytest.raises(DomainError):
        api_token_create(actor=citizen, name="Единадесети")
    assert AuditEntry.objects.filter(action="api.token.created", actor=citizen).count() == 10


def test_the_session_does_not_need_csrf_for_reading(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)

    assert client.get(ME).status_code == 200
