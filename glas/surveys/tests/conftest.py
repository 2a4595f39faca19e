"""Fixtures for the survey tests (personas live in the root conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from glas.surveys import services
from glas.surveys.models import Section, Survey


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """These tests read the (English) message texts; the Bulgarian ones are checked by
    tests/test_translations.py."""
    with translation.override("en"):
        yield


@pytest.fixture
def survey(researcher: Any) -> Survey:
    """A draft anonymous survey with a first section and no questions."""
    return services.survey_create(actor=researcher, title="Участие на гражданите", purpose="Базово проучване")


@pytest.fixture
def section(survey: Survey) -> Section:
    return survey.sections.get()


@pytest.fixture
def civic_survey(researcher: Any, survey: Survey, section: Section, kresna: Any) -> Survey:
    """A small questionnaire with logic: whether the person voted, and if so how; age; sex;
    settlement; a comment. Left in draft."""
    add = services.question_add
    add(actor=researcher, section=section, variable="voted", text="Гласувахте ли?", type="yes_no", required=True)
    add(
        actor=researcher,
        section=section,
        variable="how",
        text="Как гласувахте?",
        type="single",
        choices=[("1", "В секция"), ("2", "По пощата")],
        allow_other=True,
        required=True,
        logic={"op": "equals", "var": "voted", "value": "yes"},
    )
    add(
        actor=researcher,
        section=section,
        variable="age",
        text="На колко години сте?",
        type="numeric",
        min_value=18,
        max_value=110,
    )
    add(
        actor=researcher,
        section=section,
        variable="sex",
        text="Пол",
        type="single",
        choices=[("f", "Жена"), ("m", "Мъж")],
    )
    add(actor=researcher, section=section, variable="place", text="Къде живеете?", type="settlement")
    add(actor=researcher, section=section, variable="comment", text="Коментар", type="short_text", max_length=50)
    return survey


@pytest.fixture
def in_fieldwork(researcher: Any, civic_survey: Survey) -> Survey:
    return services.survey_transition(actor=researcher, survey=civic_survey, to=Survey.Status.FIELDWORK)


@pytest.fixture(scope="module")
def weighting_survey_once(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    """The weighting test survey (``weighting_data.py``) built once per test module, in a
    transaction rolled back at its end; each test runs in a savepoint inside it, so what a test
    changes is undone after it."""
    from django.conf import settings
    from django.contrib.auth.models import Group

    from glas.accounts.models import User
    from glas.accounts.roles import Role
    from glas.core.services import municipality_load

    with django_db_blocker.unblock(), transaction.atomic():
        municipality_load(actor=None, path=settings.GLAS_DATA_DIR / "municipalities" / "kresna.json")
        builder = User.objects.create_user("builder@example.org", "x-unused-password-123")
        builder.groups.add(Group.objects.get_or_create(name=Role.RESEARCHER)[0])
        from glas.surveys.tests.weighting_data import build_weighting_survey

        yield build_weighting_survey(builder).pk
        transaction.set_rollback(True)
