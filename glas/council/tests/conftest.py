"""Fixtures for the council tests (personas live in the root conftest.py): a small council of
five seats in the 2023–2027 term, with two groups and a committee."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from glas.council import services
from glas.council.models import Decision, Session, Term

START, END = dt.date(2023, 11, 13), dt.date(2027, 11, 12)
NAMES = ["Ана Тестова", "Борис Тестов", "Вера Тестова", "Глеб Тестов", "Дора Тестова"]
CSV_HEAD = ";".join(["номер", "дата", "заседание", "заглавие", "текст", "статус", "мнозинство", *NAMES])


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """These tests read the (English) messages; the Bulgarian ones are checked by
    tests/test_translations.py."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_and_english_pages(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def term(kresna: Any, council_secretary: Any) -> Term:
    return services.term_create(actor=council_secretary, municipality=kresna, start=START, end=END, seats=5)


@pytest.fixture
def council(term: Term, council_secretary: Any) -> SimpleNamespace:
    """Five councillors in two groups; the first two sit on the budget committee."""
    actor = council_secretary
    red = services.political_group_create(actor=actor, term=term, name="Листа А")
    blue = services.political_group_create(actor=actor, term=term, name="Листа Б", kind="coalition")
    budget = services.committee_create(actor=actor, term=term, name="Бюджет и финанси", slug="budget")
    people = [
        services.councillor_create(
            actor=actor,
            term=term,
            name=name,
            group=red if index < 3 else blue,
            committees=[budget] if index < 2 else [],
            active_from=START,
        )
        for index, name in enumerate(NAMES)
    ]
    return SimpleNamespace(term=term, groups=[red, blue], budget=budget, people=people)


@pytest.fixture
def session(council: SimpleNamespace, council_secretary: Any) -> Session:
    return services.council_session_create(
        actor=council_secretary,
        term=council.term,
        data={"number": 5, "date": dt.date(2025, 3, 27), "kind": "regular", "place": "Зала", "status": "held"},
    )


def make_decision(actor: Any, session: Session, number: int = 101, **data: Any) -> Decision:
    values = {"number": number, "date": session.date, "title": f"Решение за проба {number}", "text": "Текст"}
    values.update(data)
    return services.decision_record(actor=actor, session=session, data=values)


def roll_call(council: SimpleNamespace, *choices: str) -> dict[int, str]:
    return {person.pk: choice for person, choice in zip(council.people, choices, strict=True)}


@pytest.fixture
def decision(session: Session, council: SimpleNamespace, council_secretary: Any) -> Decision:
    """An adopted decision with its roll call: 3 for, 1 against, 1 absent."""
    found = make_decision(council_secretary, session, committee=council.budget)
    services.votes_record(
        actor=council_secretary, decision=found, choices=roll_call(council, "for", "for", "for", "against", "absent")
    )
    return found
