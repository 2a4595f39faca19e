"""Fixtures for the bureau tests (personas live in the root conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone, translation

from glas.accounts.models import User
from glas.accounts.roles import Role
from glas.bureau import services
from glas.bureau.models import Article, Case


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """These tests read the English message texts; the Bulgarian ones come with the catalogue."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _setup(kresna: Any, legal_rules: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def supervisor(make_user: Callable[..., User], admin_user: User) -> User:
    user = make_user("supervisor@example.org", roles=[Role.ADVISOR], display_name="Supervisor")
    services.advisor_profile_save(
        actor=admin_user, advisor=user, kind="staff", skills=[], available=True, is_supervisor=True
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def other_advisor(make_user: Callable[..., User]) -> User:
    return make_user("other.advisor@example.org", roles=[Role.ADVISOR], display_name="Other advisor")


def make_request(**overrides: Any) -> services.CaseRequest:
    data: dict[str, Any] = {
        "kind": "inquiry",
        "category": "taxes",
        "subject": "Данък сгради",
        "description": "Каква е отстъпката при плащане до 30 април?",
        "preferred_contact": "phone",
        "consent_process": True,
        "consent_refer": True,
        "name": "Иван Петров",
        "phone": "0888 123 456",
        "address": "гр. Кресна, ул. „Македония“ 1",
    }
    data.update(overrides)
    return services.CaseRequest(**data)


@pytest.fixture
def register() -> Callable[..., Case]:
    """An advisor records a request: ``register(advisor, kind="zdoi", access_form="paper")``."""

    def factory(actor: User, *, channel: str = "walk_in", **overrides: Any) -> Case:
        case, _token = services.case_register(actor=actor, request=make_request(**overrides), channel=channel)
        return case

    return factory


def make_article(author: User, *, slug: str, title: str, reviewer: User | None = None, body: str = "т") -> Article:
    """A knowledge-base article written straight to its table: published when it has a
    ``reviewer``, a draft otherwise (the review itself is tried in test_knowledge)."""
    reviewed: dict[str, Any] = {"status": Article.Status.DRAFT}
    if reviewer is not None:
        reviewed = {"status": Article.Status.PUBLISHED, "reviewer": reviewer, "published_at": timezone.now()}
    return Article.objects.create(
        slug=slug, title=title, summary="", body=body, category="taxes", author=author, **reviewed
    )


INTAKE_POST = {
    "kind": "inquiry",
    "category": "taxes",
    "subject": "Данък сгради",
    "description": "Каква е отстъпката?",
    "preferred_contact": "email",
    "consent_process": "on",
    "name": "Мария Петрова",
    "email": "maria@example.org",
}
