"""Access helpers: fetch an object for a person or raise 404/403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from glas.core.models import CalendarDay, LegalRule
from glas.core.selectors import RULE_KEY


def require_perm(user: Any, perm: str, obj: Any = None) -> None:
    """Raise 403 unless ``user`` has ``perm`` (a ``rules`` permission)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def get_open_rule_for_change(user: Any, key: str) -> LegalRule:
    require_perm(user, "core.change_legal_rule")
    if not RULE_KEY.fullmatch(key):
        raise Http404
    return get_object_or_404(LegalRule, key=key, effective_to__isnull=True)


def get_calendar_day_for_change(user: Any, pk: int) -> CalendarDay:
    require_perm(user, "core.change_calendar")
    return get_object_or_404(CalendarDay, pk=pk)
