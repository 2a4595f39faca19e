"""/me/tokens/: a person lists, creates (seeing the secret once) and revokes their own tokens."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from glas.api.models import ApiToken
from glas.api.services import api_token_create
from glas.core.models import AuditEntry

URL = reverse("api_tokens:list")


def test_a_person_creates_a_token_and_sees_the_secret_once(citizen, client_for):
    client = client_for(citizen)

    response = client.post(URL, {"name": "Моят скрипт"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=citizen)
    secret = response.context["secret"]
    assert secret.startswith("glas_" + token.prefix)
    assert secret in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    again = client.get(URL).content.decode()
    assert "Моят скрипт" in again and f"glas_{token.prefix}" in again
    assert secret not in again
    assert AuditEntry.objects.filter(action="api.token.created", actor=citizen).count() == 1


def test_the_list_shows_only_ones_own_tokens(citizen, make_user, client_for):
    other = make_user("other@example.org")
    api_token_create(actor=other, name="Чужд ключ")
    api_token_create(actor=citizen, name="Мой ключ")

    page = client_for(citizen).get(URL).content.decode()

    assert "Мой ключ" in page
    assert "Чужд ключ" not in page


def test_a_person_revokes_a_token(citizen, client_for):
    token, secret = api_token_create(actor=citizen, name="Моят скрипт")
    client = client_for(citizen)

    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))

    assert response.status_code == 302
    assert response.url == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert AuditEntry.objects.filter(action="api.token.revoked", actor=citizen).count() == 1


def test_revoking_twice_changes_nothing_more(citizen, client_for):
    token, _secret = api_token_create(actor=citizen, name="Моят скрипт")
    client = client_for(citizen)

    client.post(reverse("api_tokens:revoke", args=[token.pk]))
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    client.post(reverse("api_tokens:revoke", args=[token.pk]))

    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at
    assert AuditEntry.objects.filter(action="api.token.revoked").count() == 1


def test_another_persons_token_cannot_be_revoked(citizen, make_user, client_for):
    other = make_user("other@example.org")
    token, _secret = api_token_create(actor=other, name="Чужд ключ")

    response = client_for(citizen).post(reverse("api_tokens:revoke", args=[token.pk]))

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_revoking_needs_post(citizen, client_for):
    token, _secret = api_token_create(actor=citizen, name="Моят скрипт")

    assert client_for(citizen).get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "скрипт\u202e", "скрипт\x00"])
def test_a_bad_name_is_a_field_error(citizen, client_for, name):
    response = client_for(citizen).post(URL, {"name": name})

    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert response.context["secret"] is None
    assert not ApiToken.objects.exists()


def test_the_eleventh_active_token_is_refused_with_a_field_error(citizen, client_for):
    for number in range(10):
        api_token_create(actor=citizen, name=f"Скрипт {number}")

    response = client_for(citizen).post(URL, {"name": "Единадесети"})

    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert ApiToken.objects.filter(user=citizen).count() == 10


def test_extra_fields_are_ignored(citizen, make_user, client_for):
    other = make_user("other@example.org")

    client_for(citizen).post(URL, {"name": "Моят скрипт", "user": other.pk, "revoked_at": "2020-01-01"})

    token = ApiToken.objects.get()
    assert token.user == citizen and token.revoked_at is None


def test_script_in_a_token_name_is_shown_as_text(citizen, client_for):
    client_for(citizen).post(URL, {"name": "<script>alert(1)</script>"})

    page = client_for(citizen).get(URL).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_tokens_page_needs_an_account(db, client):
    response = client.post(URL, {"name": "Моят скрипт"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not ApiToken.objects.exists()


def test_creating_and_revoking_need_the_csrf_token(citizen):
    token, _secret = api_token_create(actor=citizen, name="Моят скрипт")
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)

    assert client.post(URL, {"name": "Без токен"}).status_code == 403
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.filter(user=citizen, revoked_at__isnull=True).count() == 1

    client.get(URL)
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert client.post(URL, {"name": "С токен", "csrfmiddlewaretoken": csrf}).status_code == 200


def test_the_page_is_in_english_for_english_readers(citizen, client_for):
    response = client_for(citizen).get(URL, headers={"Accept-Language": "en"})

    assert response.status_code == 200
    assert "<h1>Personal API tokens</h1>" in response.content.decode()


def test_the_page_needs_a_bounded_number_of_queries(citizen, client_for, django_assert_max_num_queries):
    for number in range(10):
        api_token_create(actor=citizen, name=f"Скрипт {number}")
    client = client_for(citizen)

    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
