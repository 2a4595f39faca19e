from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from glas.core.selectors import current_municipality_or_none, unread_notification_count


def site(request: HttpRequest) -> dict[str, Any]:
    """The municipality, the reader's display preferences and their unread count."""
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = unread_notification_count(user)
    return {
        "municipality": current_municipality_or_none(),
        "large_text": request.COOKIES.get("glas_text") == "large",
        "unread_notifications": unread,
    }
