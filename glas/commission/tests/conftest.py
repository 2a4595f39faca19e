"""Fixtures for the commission tests: a commission of five members and a meeting with one item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from glas.accounts.roles import Role
from glas.commission import services
from glas.commission.models import Commission, CommissionMember, Meeting, MeetingItem


@pytest.fixture(autouse=True)
def _messages_in_english(settings: Any) -> Iterator[None]:
    """These tests read the English messages (pages and services); tests/test_translations.py
    checks the Bulgarian ones."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def commission(db: Any) -> Commission:
    return Commission.objects.create(
        name="Консултативна комисия",
        established_by="Решение № 1",
        quorum_share=Decimal("0.5"),
        majority_share=Decimal("0.5"),
        rules_source="Правилник, чл. 8",
    )


@pytest.fixture
def members(
    commission: Commission, commission_member: Any, make_user: Callable[..., Any], council_secretary: Any
) -> list[CommissionMember]:
    """Five serving members; the first is the ``commission_member`` persona."""
    users = [commission_member] + [
        make_user(f"expert{n}@example.org", roles=[Role.COMMISSION_MEMBER]) for n in range(1, 5)
    ]
    today = timezone.localdate()
    return [
        services.member_appoint(
            actor=council_secretary,
            commission=commission,
            user=user,
            name=f"Експерт {n}",
            organisation=f"Сдружение {n}",
            expertise="право",
            term_start=today - dt.timedelta(days=100),
            term_end=today + dt.timedelta(days=600),
            is_chair=n == 0,
        )
        for n, user in enumerate(users)
    ]


@pytest.fixture
def meeting(commission: Commission, council_secretary: Any, members: list[CommissionMember]) -> Meeting:
    return services.meeting_schedule(
        actor=council_secretary, commission=commission, starts_at=timezone.now(), place="Кресна"
    )


@pytest.fixture
def item(meeting: Meeting, council_secretary: Any) -> MeetingItem:
    return services.meeting_item_add(
        actor=council_secretary,
        meeting=meeting,
        title="Проект на наредба",
        subject_url="https://glas.example/consultations/1/",
    )
