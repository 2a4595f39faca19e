"""Passwords are hashed with Argon2 in production (the suite itself uses a fast hasher)."""

from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from glas import settings as production
from glas.accounts.models import User

PASSWORD = "correct-horse-battery-staple"  # the root conftest's password for every persona


def test_the_production_settings_hash_new_passwords_with_argon2(settings, citizen):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    citizen.set_password("Нова-парола-за-Кресна")
    citizen.save(update_fields=["password"])
    stored = User.objects.get(pk=citizen.pk)
    assert stored.password.startswith("argon2")
    assert stored.check_password("Нова-парола-за-Кресна")


def test_sign_up_stores_an_argon2_hash(settings, db):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    Client().post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "Нова-парола-за-Кресна",
            "password2": "Нова-парола-за-Кресна",
            "accept_terms": "on",
        },
    )
    assert User.objects.get(email="new@example.org").password.startswith("argon2")


def test_an_older_pbkdf2_hash_is_upgraded_to_argon2_at_login(settings, citizen):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    User.objects.filter(pk=citizen.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    response = Client().post(reverse("account_login"), {"login": citizen.email, "password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=citizen.pk).password.startswith("argon2")
