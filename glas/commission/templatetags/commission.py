"""The commission's published opinions on a draft act or a council decision, for their pages."""

from __future__ import annotations

from typing import Any

from django import template

from glas.commission.models import Opinion

register = template.Library()


@register.simple_tag
def commission_opinions(*, draft: Any = None, decision: Any = None) -> list[Opinion]:
    """One query: the published opinions whose agenda item is about ``draft`` or ``decision``."""
    opinions = Opinion.objects.filter(published_at__isnull=False).select_related("item__meeting")
    if draft is not None:
        opinions = opinions.filter(item__draft=draft)
    elif decision is not None:
        opinions = opinions.filter(item__decision=decision)
    else:
        return []
    return list(opinions.order_by("-published_at"))
