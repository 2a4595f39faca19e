"""What the council services share: the permission check and text cleaning."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError
from glas.core.forms import text_problem

if TYPE_CHECKING:
    from glas.accounts.models import User

MANAGE = "council.manage_registry"


def require(actor: User | None, perm: str = MANAGE, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise DomainError(_("You may not do this."), code="forbidden")


def clean(value: Any, *, field: str, cap: int, required: bool = False) -> str:
    text = str(value if value is not None else "").strip()
    problem = text_problem(text)
    if problem:
        raise DomainError(problem, field=field)
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    if len(text) > cap:
        raise DomainError(_("At most %(cap)s characters.") % {"cap": cap}, field=field)
    return text
