"""Access helpers: fetch a commission object for a person, or raise 404/403."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from glas.commission.models import Meeting, MeetingItem, Opinion
from glas.core.access import require_perm


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def get_meeting_for_workspace(user: Any, public_id: Any) -> Meeting:
    """A meeting's workspace: commission members and the secretariat."""
    require_perm(user, "commission.open_workspace")
    return get_object_or_404(Meeting.objects.select_related("commission"), public_id=_uuid(public_id))


def get_item_for_workspace(user: Any, meeting: Meeting, pk: Any) -> MeetingItem:
    """An item of *this* meeting (an id from another meeting is a 404)."""
    require_perm(user, "commission.open_workspace")
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(MeetingItem.objects.select_related("meeting__commission"), pk=int(pk), meeting=meeting)


def get_opinion_for_workspace(user: Any, meeting: Meeting, public_id: Any) -> Opinion:
    require_perm(user, "commission.open_workspace")
    return get_object_or_404(
        Opinion.objects.select_related("item__meeting__commission"), public_id=_uuid(public_id), item__meeting=meeting
    )


def get_published_opinion(public_id: Any) -> Opinion:
    return get_object_or_404(
        Opinion.objects.select_related("item__meeting__commission", "item__draft", "item__decision"),
        public_id=_uuid(public_id),
        published_at__isnull=False,
    )


def get_public_meeting(public_id: Any) -> Meeting:
    return get_object_or_404(Meeting, public_id=_uuid(public_id))
