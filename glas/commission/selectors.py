"""Reads for the Consultative Commission: who serves, quorum, tallies and the public pages."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from glas.commission.models import (
    Attendance,
    Commission,
    CommissionMember,
    ConflictDeclaration,
    DissentingView,
    Meeting,
    MeetingItem,
    Opinion,
    OpinionVote,
)


def current_commission() -> Commission | None:
    return Commission.objects.order_by("pk").first()


def serving_members(commission: Commission, day: dt.date) -> QuerySet[CommissionMember]:
    return commission.members.filter(term_start__lte=day, term_end__gte=day).select_related("user")


def quorum_needed(commission: Commission, serving: int) -> int:
    """More than ``quorum_share`` of the serving members (at least one)."""
    return max(1, math.floor(serving * float(commission.quorum_share)) + 1)


def majority_needed(commission: Commission, entitled: int) -> int:
    """Votes for an opinion must be more than ``majority_share`` of those entitled to vote."""
    return math.floor(entitled * float(commission.majority_share)) + 1


def member_for(user: Any, commission: Commission, day: dt.date) -> CommissionMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return serving_members(commission, day).filter(user=user).first()


@dataclass(frozen=True)
class QuorumState:
    serving: int
    present: int
    needed: int

    @property
    def reached(self) -> bool:
        return self.present >= self.needed


def meeting_quorum(meeting: Meeting) -> QuorumState:
    day = meeting.day
    serving = serving_members(meeting.commission, day).count()
    present = meeting.attendance.filter(present=True).count()
    return QuorumState(serving=serving, present=present, needed=quorum_needed(meeting.commission, serving))


def entitled_members(opinion: Opinion) -> QuerySet[CommissionMember]:
    """Members present at the meeting who have not declared a conflict on the item."""
    meeting = opinion.item.meeting
    conflicted = ConflictDeclaration.objects.filter(item=opinion.item).values("member")
    present = Attendance.objects.filter(meeting=meeting, present=True).values("member")
    return CommissionMember.objects.filter(pk__in=present).exclude(pk__in=conflicted)


def meeting_page(public_id: Any) -> Meeting | None:
    """A meeting with everything its page shows, in a fixed number of queries."""
    return (
        Meeting.objects.select_related("commission")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=MeetingItem.objects.select_related("opinion", "draft", "decision").prefetch_related(
                    Prefetch("conflicts", queryset=ConflictDeclaration.objects.select_related("member")),
                ),
            ),
            Prefetch("attendance", queryset=Attendance.objects.select_related("member").order_by("member__name")),
        )
        .filter(public_id=public_id)
        .first()
    )


def opinion_page(opinion: Opinion) -> dict[str, Any]:
    votes = list(OpinionVote.objects.filter(opinion=opinion).select_related("member").order_by("member__name"))
    dissents = list(DissentingView.objects.filter(opinion=opinion).select_related("member").order_by("member__name"))
    return {"votes": votes, "dissents": dissents}


def published_opinions(commission: Commission) -> QuerySet[Opinion]:
    return (
        Opinion.objects.filter(item__meeting__commission=commission, published_at__isnull=False)
        .select_related("item__meeting")
        .order_by("-published_at")
    )
