"""A commission with a held meeting and a published opinion with a dissent, for the browser tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from glas.commission import services
from glas.commission.models import Commission, Opinion


def published_opinion(secretary: Any, users: list[Any]) -> Opinion:
    """``users`` (at least three, with the commission member role) serve; the first chairs and
    drafts, the last votes against and writes a dissenting view."""
    commission = Commission.objects.create(
        name="Консултативна комисия",
        established_by="Решение № 1",
        quorum_share=Decimal("0.5"),
        majority_share=Decimal("0.5"),
        rules_source="Правилник, чл. 8",
    )
    today = timezone.localdate()
    members = [
        services.member_appoint(
            actor=secretary,
            commission=commission,
            user=user,
            name=f"Експерт {n}",
            organisation=f"Сдружение {n}",
            expertise="право",
            term_start=today - dt.timedelta(days=30),
            term_end=today + dt.timedelta(days=700),
            is_chair=n == 0,
        )
        for n, user in enumerate(users)
    ]
    meeting = services.meeting_schedule(
        actor=secretary, commission=commission, starts_at=timezone.now(), place="Кресна"
    )
    item = services.meeting_item_add(actor=secretary, meeting=meeting, title="Проект на наредба за обществения ред")
    services.meeting_item_add(actor=secretary, meeting=meeting, title="Програма за отпадъците")
    opinion = services.opinion_draft_save(
        actor=users[0], item=item, text="Подкрепяме проекта с бележки.", base_revision=0
    )
    services.attendance_record(actor=secretary, meeting=meeting, present=[m.pk for m in members])
    services.opinion_vote_open(actor=secretary, opinion=opinion)
    for user in users[:-1]:
        services.opinion_vote(actor=user, opinion=opinion, choice="for")
    services.opinion_vote(actor=users[-1], opinion=opinion, choice="against")
    opinion = services.opinion_vote_close(actor=secretary, opinion=opinion)
    services.dissent_add(actor=users[-1], opinion=opinion, text="Не подкрепям становището.")
    return services.opinion_publish(actor=secretary, opinion=opinion)
