"""Access helpers: fetch an initiative for a person, or raise 404/403."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from glas.core.access import require_perm
from glas.core.compiled import compiled
from glas.initiatives.models import Initiative, Signature

_RELATED = ("municipality", "kmetstvo", "settlement", "promoter")
# What signing reads of an initiative: its state, dates and territory (ids only), the rules stored
# at registration, and the title for the audit entry. Reading only these columns halves the cost
# of the read that every signature makes (the description and question can be long).
SIGNING_FIELDS = (
    "public_id",
    "kind",
    "status",
    "title",
    "territory",
    "municipality",
    "kmetstvo",
    "settlement",
    "registered_on",
    "collection_closes_on",
    "threshold_rules",
)


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def get_public_initiative(public_id: Any) -> Initiative:
    """A registered (or later) initiative anyone may see; drafts do not exist for the public."""
    return get_object_or_404(
        Initiative.objects.select_related(*_RELATED),
        public_id=_uuid(public_id),
        status__in=Initiative.PUBLIC_STATUSES,
    )


def get_initiative_to_sign(public_id: Any) -> Initiative:
    """The initiative a signature is for: the same as ``get_public_initiative`` without its
    related rows, which signing does not read (the territory check compares ids), and with only
    the columns signing reads (``SIGNING_FIELDS``). Every signature makes this read, so its SQL
    is compiled once (``glas.core.compiled``)."""
    key = _uuid(public_id)
    query = compiled(
        "initiatives.to_sign",
        lambda key: Initiative.objects.only(*SIGNING_FIELDS).filter(
            public_id=key, status__in=Initiative.PUBLIC_STATUSES
        ),
        key_fields=[Initiative._meta.get_field("public_id")],
        samples=[uuid.UUID(int=1)],
    )
    initiative = query.instance(key)
    if initiative is None:
        raise Http404
    return initiative  # type: ignore[return-value]


def get_initiative_for_user(user: Any, public_id: Any) -> Initiative:
    """An initiative its committee or council staff may open (any status); others get 404."""
    initiative = get_object_or_404(Initiative.objects.select_related(*_RELATED), public_id=_uuid(public_id))
    if user.has_perm("initiatives.manage_initiative", initiative) or user.has_perm("initiatives.review_initiative"):
        return initiative
    raise Http404


def get_initiative_for_paper_entry(user: Any, public_id: Any) -> Initiative:
    """A binding initiative whose paper lists this person may enter (petitions have none)."""
    initiative = get_initiative_for_user(user, public_id)
    require_perm(user, "initiatives.enter_paper_signatures", initiative)
    if not initiative.is_binding:
        raise Http404
    return initiative


def get_initiative_for_verification(user: Any, public_id: Any) -> Initiative:
    require_perm(user, "initiatives.verify_signatures")
    return get_object_or_404(Initiative.objects.select_related(*_RELATED), public_id=_uuid(public_id))


def get_held_signature(user: Any, initiative: Initiative, public_id: Any) -> Signature:
    require_perm(user, "initiatives.verify_signatures")
    return get_object_or_404(
        Signature.objects.select_related("initiative"), initiative=initiative, public_id=_uuid(public_id)
    )
