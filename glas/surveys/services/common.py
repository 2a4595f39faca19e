"""What the survey services share: the permission check, the draft-only guard and text cleaning."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError
from glas.surveys.answers import clean_text
from glas.surveys.models import (
    Survey,
)

if TYPE_CHECKING:
    from glas.accounts.models import User


class AnswersInvalid(DomainError):
    """Several answers were refused at once: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), field=next(iter(errors)), code="answers")
        self.errors = errors


def require(actor: User | None, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise DomainError(_("You may not do this."), code="forbidden")


def require_draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise DomainError(
            _("Fieldwork has started: the questionnaire can no longer be changed, only its wording fixed."),
            code="frozen",
        )


def touch(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(updated_at=timezone.now())


def clean_field_text(value: Any, *, field: str, cap: int, required: bool = False) -> str:
    text = clean_text(value if value is not None else "", cap=cap, field=field)
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    return text


def cell_key(variables: list[str], values: Mapping[str, Any]) -> str:
    return "|".join(f"{variable}={values[variable]}" for variable in variables)
