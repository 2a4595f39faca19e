"""Typing helpers shared by views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from glas.accounts.models import User


class AuthedRequest(HttpRequest):
    """The request of a view behind ``login_required``: ``user`` is a real person."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
