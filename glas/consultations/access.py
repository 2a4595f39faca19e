"""Access helpers: fetch a draft or contribution for a person, or raise 404/403."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from glas.consultations.models import Contribution, Draft, Subscription
from glas.core.access import require_perm


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def get_draft_for_staff(user: Any, public_id: Any, perm: str = "consultations.manage_draft") -> Draft:
    require_perm(user, perm)
    return get_object_or_404(Draft, public_id=_uuid(public_id))


def get_public_draft(public_id: Any) -> Draft:
    """A draft anyone may read: published for consultation or later (never one in preparation)."""
    return get_object_or_404(Draft.objects.exclude(status=Draft.Status.DRAFT), public_id=_uuid(public_id))


def get_draft_with_report(public_id: Any) -> Draft:
    draft = get_public_draft(public_id)
    if draft.report_published_at is None:
        raise Http404
    return draft


def get_contribution_for_staff(user: Any, draft: Draft, public_id: Any, perm: str) -> Contribution:
    require_perm(user, perm, draft)
    return get_object_or_404(
        Contribution.objects.select_related("draft", "paragraph__article"), draft=draft, public_id=_uuid(public_id)
    )


def get_public_contribution(draft: Draft, public_id: Any) -> Contribution:
    return get_object_or_404(
        Contribution.objects.select_related("draft"),
        draft=draft,
        public_id=_uuid(public_id),
        status=Contribution.Status.PUBLISHED,
    )


def get_own_subscription(user: Any, pk: int) -> Subscription:
    subscription = get_object_or_404(Subscription, pk=pk)
    if subscription.user_id != user.pk:
        raise Http404
    return subscription
