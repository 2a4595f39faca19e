"""Fixtures for the integrity tests: two officers with keys, and files stored in a temporary
directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from glas.accounts.roles import Role
from glas.council.tests.conftest import council, session, term  # noqa: F401 (fixtures for the vote checks)
from glas.integrity import crypto, services
from glas.integrity.models import IntegrityOfficer

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _english_and_private_storage(settings: Any, tmp_path: Any, legal_rules: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


@pytest.fixture
def officer(integrity_officer: Any) -> IntegrityOfficer:
    return services.officer_enrol(actor=integrity_officer, passphrase=PASSPHRASE, repeat=PASSPHRASE)


@pytest.fixture
def second_officer(make_user: Callable[..., Any]) -> IntegrityOfficer:
    user = make_user("integrity2@example.org", roles=[Role.INTEGRITY_OFFICER])
    return services.officer_enrol(actor=user, passphrase=PASSPHRASE + "!", repeat=PASSPHRASE + "!")


def key_of(officer: IntegrityOfficer, passphrase: str = PASSPHRASE) -> Any:
    return crypto.private_key_from_raw(services.officer_unlock(officer=officer, passphrase=passphrase))


def unlocked_client(client_for: Callable[..., Any], officer: IntegrityOfficer, passphrase: str = PASSPHRASE) -> Any:
    client = client_for(officer.user)
    response = client.post("/integrity/officers/keys/", {"passphrase": passphrase})
    assert response.status_code == 302
    return client
