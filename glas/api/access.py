"""Access helpers for the API app."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from glas.api.models import ApiToken


def get_own_token(user: Any, pk: int) -> ApiToken:
    """One of the person's own tokens; anyone else's is "not found"."""
    return get_object_or_404(ApiToken, pk=pk, user=user)
