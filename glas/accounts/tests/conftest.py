"""Fixtures for the accounts tests (the personas live in the root conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glas.accounts.models import User


@pytest.fixture
def english_client_for() -> Callable[[User | None], Client]:
    """Like ``client_for``, but the pages come back in English, so tests can read the messages
    whether or not the Bulgarian catalogue is compiled."""

    def factory(user: User | None) -> Client:
        client = Client(headers={"Accept-Language": "en"})
        if user is not None:
            client.force_login(user)
        return client

    return factory


@pytest.fixture
def slivnitsa(kresna: Any) -> Any:
    from glas.core.models import Settlement

    return Settlement.objects.get(municipality=kresna, slug="slivnitsa")
