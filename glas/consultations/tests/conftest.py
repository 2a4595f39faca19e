"""Fixtures for the consultation tests (personas live in the root conftest.py).

Time is frozen on Monday 2 March 2026 (Sofia): the regular 30-day term then ends on
Wednesday 1 April, the exceptional 14-day term on Monday 16 March.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import translation

from glas.consultations import services
from glas.consultations.models import Contribution, Draft, Paragraph

TODAY = dt.date(2026, 3, 2)
REGULAR_END = dt.date(2026, 4, 1)
SHORTEST_END = dt.date(2026, 3, 16)

TEXT = """Глава първа. Общи положения
Чл. 1. (1) Тази наредба урежда обществения ред.
(2) Тя се прилага на цялата територия на общината.
Чл. 2. Контролът се осъществява от кмета.
Глава втора. Тишина
Чл. 3. (1) Забранява се шумът от 23:00 до 07:00 часа.
(2) В летния сезон заведенията работят с музика до 24:00 часа.
"""


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """These tests read the (English) message texts; tests/test_translations.py checks the
    Bulgarian ones."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _frozen_day() -> Iterator[Any]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), tick=True):
        yield


@pytest.fixture(autouse=True)
def pages_in_english(settings: Any) -> None:
    """Pages are read in English too (the Bulgarian catalogue is complete, and Bulgarian is the
    default language)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def prepared(council_secretary: Any, legal_rules: None, kresna: Any) -> Draft:
    """A draft ordinance with its text, motives and impact assessment, not yet published."""
    draft = services.draft_create(
        actor=council_secretary,
        title="Наредба за обществения ред",
        act_type="ordinance",
        topic="public_order",
        proposer_kind="administration",
        proposer_name="Дирекция „Обща администрация“",
        summary="Тишина и чистота.",
        motives="<p>Нужна е нова наредба.</p>",
        impact_assessment="<p>Без разходи.</p>",
    )
    services.draft_text_set(actor=council_secretary, draft=draft, text=TEXT)
    return draft


@pytest.fixture
def consultation(council_secretary: Any, prepared: Draft) -> Draft:
    """The draft in public consultation from today for the regular term."""
    return services.consultation_publish(actor=council_secretary, draft=prepared, opens_on=TODAY, closes_on=REGULAR_END)


def paragraph(draft: Draft, article: str, number: str = "") -> Paragraph:
    return Paragraph.objects.get(draft=draft, article__number=article, article__version="draft", number=number)


@pytest.fixture
def wording(citizen: Any, consultation: Draft) -> Contribution:
    return services.contribution_submit(
        actor=citizen,
        draft=consultation,
        kind="wording",
        paragraph_id=paragraph(consultation, "Чл. 3", "(2)").pk,
        text="По-рано.",
        proposed_text="В летния сезон заведенията работят с музика до 23:00 часа.",
    )


def close(draft: Draft) -> None:
    """Move the consultation into the past (it closed yesterday)."""
    Draft.objects.filter(pk=draft.pk).update(
        opens_on=TODAY - dt.timedelta(days=31), closes_on=TODAY - dt.timedelta(days=1)
    )
    draft.refresh_from_db()


from glas.council.tests.conftest import council, term  # noqa: E402, F401 (fixtures for links to the council)
