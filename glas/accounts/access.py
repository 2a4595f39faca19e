"""Access helpers for accounts."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from glas.accounts.models import User
from glas.core.access import require_perm


def get_person_for_verification(user: Any, pk: int) -> User:
    require_perm(user, "accounts.verify_resident")
    return get_object_or_404(
        User.objects.select_related("resident_verification"), pk=pk, deleted_at__isnull=True, is_active=True
    )
