"""Fixtures for the initiative tests (personas live in the root conftest.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from glas.accounts.demo import demo_egn
from glas.core.models import Municipality, Settlement
from glas.initiatives import services
from glas.initiatives.models import Initiative

_serial = itertools.count(200)


@pytest.fixture(autouse=True)
def _messages_in_english(settings: Any) -> Iterator[None]:
    """These tests read the English texts (services and pages); the Bulgarian ones are checked
    by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def kresna_rules(kresna: Municipality, legal_rules: None) -> Municipality:
    return kresna


@pytest.fixture
def make_resident(make_user: Callable[..., Any], advisor: Any, kresna: Municipality) -> Callable[..., Any]:
    """A verified resident with a fresh ЕГН: ``make_resident("slivnitsa", birth=date)``."""
    from glas.accounts.services import resident_verify

    def factory(slug: str = "kresna", *, birth: dt.date = dt.date(1980, 3, 1), email: str = "", egn: str = "") -> Any:
        serial = next(_serial)
        user = make_user(email or f"resident{serial}@example.org")
        resident_verify(
            actor=advisor,
            user=user,
            egn=egn or demo_egn(birth, serial),
            settlement=Settlement.objects.get(slug=slug),
            document="id_card",
        )
        user.refresh_from_db()
        return user

    return factory


@pytest.fixture
def new_egn() -> Callable[..., str]:
    def factory(birth: dt.date = dt.date(1975, 6, 10)) -> str:
        return demo_egn(birth, next(_serial))

    return factory


def committee_of(initiative: Initiative, promoter: Any, make_user: Callable[..., Any], size: int = 3) -> None:
    for number in range(size - 1):
        email = f"member{number}-{initiative.pk}@example.org"
        member, _token = services.committee_member_invite(
            actor=promoter, initiative=initiative, full_name=f"Член Комитетов {number}", email=email
        )
        services.committee_member_confirm(actor=make_user(email), member=member)


@pytest.fixture
def promoter(citizen: Any) -> Any:
    return citizen


@pytest.fixture
def draft(promoter: Any, kresna_rules: Municipality) -> Initiative:
    return services.initiative_create(
        actor=promoter,
        municipality=kresna_rules,
        kind=Initiative.Kind.REFERENDUM,
        title="Пешеходен мост",
        question="Съгласни ли сте да бъде построен пешеходен мост?",
    )


@pytest.fixture
def registered(draft: Initiative, promoter: Any, make_user: Callable[..., Any], council_secretary: Any) -> Initiative:
    committee_of(draft, promoter, make_user)
    services.initiative_submit_for_review(actor=promoter, initiative=draft)
    return services.initiative_review(
        actor=council_secretary, initiative=draft, admissible=True, reasons="Въпросът е от местно значение."
    )


@pytest.fixture
def collecting(registered: Initiative, promoter: Any) -> Initiative:
    return services.initiative_open_collection(
        actor=promoter, initiative=registered, closes_on=registered.registered_on + dt.timedelta(days=60)
    )


@pytest.fixture
def petition(promoter: Any, kresna_rules: Municipality, council_secretary: Any) -> Initiative:
    initiative = services.initiative_create(
        actor=promoter,
        municipality=kresna_rules,
        kind=Initiative.Kind.PETITION,
        title="Автобус до Ощава",
        question="Молим за автобусна линия.",
        addressee=Initiative.Addressee.MAYOR,
    )
    services.initiative_submit_for_review(actor=promoter, initiative=initiative)
    services.initiative_review(
        actor=council_secretary, initiative=initiative, admissible=True, reasons="От компетентността на кмета."
    )
    return services.initiative_open_collection(actor=promoter, initiative=initiative, closes_on=None)
