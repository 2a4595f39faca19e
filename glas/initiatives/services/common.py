"""What the initiative services share: permission check, status guard, timeline, text cleaning."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.initiatives.models import Initiative, TimelineEvent

if TYPE_CHECKING:
    from glas.accounts.models import User

# Characters that make text lie about itself: bidi overrides and zero-width marks.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"}
_INVISIBLE |= {"\u2066", "\u2067", "\u2068", "\u2069"}


def require(actor: User | None, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise DomainError(_("You may not do this."), code="forbidden")


def require_status(initiative: Initiative, *statuses: str) -> None:
    if initiative.status not in statuses:
        raise DomainError(
            _("This cannot be done while the initiative is “%(status)s”.")
            % {"status": initiative.get_status_display()},
            code="status",
        )


def clean_text(value: Any, *, field: str, cap: int, required: bool = False) -> str:
    """Trimmed text without NUL bytes, lone surrogates, bidi overrides or zero-width characters."""
    text = "" if value is None else str(value)
    if len(text) > cap:
        raise DomainError(_("This text is too long (at most %(cap)s characters).") % {"cap": cap}, field=field)
    for char in text:
        if char == "\x00" or char in _INVISIBLE or unicodedata.category(char) == "Cs":
            raise DomainError(_("The text contains a character that is not allowed."), field=field)
        if unicodedata.category(char) == "Cc" and char not in "\n\r\t":
            raise DomainError(_("The text contains a character that is not allowed."), field=field)
    text = text.strip()
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    return text


def move_to(
    initiative: Initiative, status: str, *, actor: User | None, action: str, note: str = "", data: dict | None = None
) -> None:
    """Set the status, add the public timeline step and the audit entry (inside the caller's
    transaction)."""
    initiative.status = status
    initiative.updated_at = timezone.now()
    initiative.save()
    TimelineEvent.objects.create(initiative=initiative, status=status, note=note)
    audit_log(actor=actor, action=action, obj=initiative, data={"status": status, **(data or {})})
