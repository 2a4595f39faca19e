"""Reads for municipality data, legal rules and the audit log."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError
from glas.core.hotcache import cached_read
from glas.core.models import AuditEntry, LegalRule, Municipality, Notification, PopulationFigure, Settlement

if TYPE_CHECKING:
    from glas.accounts.models import User


def current_municipality() -> Municipality:
    """The municipality this installation serves (``GLAS_MUNICIPALITY``), from the same cached
    read as every page's header."""
    municipality = current_municipality_or_none()
    if municipality is None:
        raise Http404(_("This installation has no municipality loaded yet."))
    return municipality


def municipality_cache_key() -> str:
    return f"core:municipality:{settings.GLAS_MUNICIPALITY}"


def current_municipality_or_none() -> Municipality | None:
    """The municipality (every page's header and footer show it), cached across requests and
    forgotten whenever a municipality is saved or deleted (``glas/core/receivers.py``)."""
    return cached_read(
        municipality_cache_key(), lambda: Municipality.objects.filter(code=settings.GLAS_MUNICIPALITY).first()
    )


def unread_count_cache_key(user_id: int) -> str:
    return f"core:unread:{user_id}"


def unread_notification_count(user: User) -> int:
    """The number on every signed-in page's "Notifications" link, cached across requests and
    forgotten when one of the person's notifications is created, saved, deleted or marked read
    (``glas/core/receivers.py`` and ``services.notification_mark_read``)."""
    return cached_read(
        unread_count_cache_key(user.pk),
        lambda: Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count(),
    )


SETTLEMENTS_CACHE_KEY = "core:settlements"


def all_settlements() -> list[Settlement]:
    """Every settlement, towns first then by name (at most 50: a filter's list of places), cached
    across requests and forgotten when one is saved or deleted (``glas/core/receivers.py``)."""
    return cached_read(SETTLEMENTS_CACHE_KEY, lambda: list(Settlement.objects.order_by("kind", "name")[:50]))


def settlements_for(municipality: Municipality) -> QuerySet[Settlement]:
    return (
        Settlement.objects.filter(municipality=municipality)
        .select_related("kmetstvo")
        .prefetch_related(Prefetch("population_figures", queryset=PopulationFigure.objects.order_by("-year")))
    )


# What a rule key can look like ("referendum.signatures.propose_fraction"). Anything else, such
# as a NUL byte from a crafted URL (which PostgreSQL refuses), cannot name a rule.
RULE_KEY = re.compile(r"[A-Za-z0-9_.\-]{1,100}")


def legal_rule_versions(key: str) -> list[LegalRule]:
    """Every version of rule ``key``, newest first; none for a key no rule can have."""
    if not RULE_KEY.fullmatch(key):
        return []
    return list(LegalRule.objects.filter(key=key).order_by("-effective_from"))


def legal_rule(key: str, *, on: dt.date | None = None) -> LegalRule:
    """The version of rule ``key`` in force on ``on`` (today by default)."""
    on = on or timezone.localdate()
    rule = (
        LegalRule.objects.filter(key=key, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise DomainError(_("No legal rule %(key)s is in force on %(date)s.") % {"key": key, "date": on})
    return rule


def rule_value(key: str, *, on: dt.date | None = None):  # type: ignore[no-untyped-def]
    """The value (a Decimal) of rule ``key`` in force on ``on``."""
    return legal_rule(key, on=on).value


def rules_in_force(*, on: dt.date | None = None) -> QuerySet[LegalRule]:
    on = on or timezone.localdate()
    return (
        LegalRule.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("key")
    )


AUDIT_FILTERS = ("action", "actor", "since", "until")


def audit_entries(
    *, action: str = "", actor_email: str = "", since: dt.date | None = None, until: dt.date | None = None
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor", "content_type")
    if action:
        entries = entries.filter(action__startswith=action)
    if actor_email:
        entries = entries.filter(actor__email__iexact=actor_email)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries
