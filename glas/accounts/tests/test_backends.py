"""The session's user is read through a compiled statement (glas/accounts/backends.py): it must
be the instance the ORM gives, and an inactive or deleted account is nobody."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from glas.accounts.backends import AuthenticationBackend, ModelBackend
from glas.accounts.models import User

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in User._meta.concrete_fields]


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_backends_read_the_user_the_orm_reads(make_user, backend):
    user = make_user("reader@example.org", display_name="Ива Иванова")
    found, expected = backend().get_user(user.pk), User.objects.get(pk=user.pk)
    assert [getattr(found, name) for name in FIELDS] == [getattr(expected, name) for name in FIELDS]
    assert found.get_deferred_fields() == set() and found._state.adding is False and found._state.db == "default"
    assert backend().get_user(user.pk + 1000) is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backend().get_user(user.pk) is None


def test_a_signed_in_request_gets_its_user_and_a_changed_password_ends_the_session(client, make_user):
    user = make_user("session@example.org")
    client.force_login(user)
    assert client.session["_auth_user_backend"] == "glas.accounts.backends.ModelBackend"
    assert client.get(reverse("accounts:profile")).status_code == 200
    user.set_password("a-completely-new-password-42")
    user.save()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_session_naming_a_backend_no_longer_configured_is_signed_out(client, make_user, rf):
    user = make_user("old@example.org")
    client.force_login(user, backend="glas.accounts.backends.ModelBackend")
    session = client.session
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    request = rf.get("/")
    request.session = client.session
    assert not get_user(request).is_authenticated
