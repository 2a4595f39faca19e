from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any, TypeVar

from django import forms
from django.db.models import Manager, Model, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from glas.core.models import CalendarDay

# Characters that reorder or hide text (bidi overrides and isolates, zero-width characters).
# They have no place in names, titles or messages and are a known spoofing trick.
FORBIDDEN_CHARACTERS = {
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u200e",
    "\u200f",
}


_M = TypeVar("_M", bound=Model)


class ChoiceListIterator(ModelChoiceIterator):
    """A model choice list read with one plain query. Django's own iterator reads it with
    ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE, FETCH,
    CLOSE, and a cursor held past the transaction) that pays off only for large results; a list
    a person picks from is short."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.queryset.all():  # a fresh copy: the field's queryset keeps no rows
            yield self.choice(instance)


# The first, empty entry of a list to choose from. Django's "---------" is read out by screen
# readers as a row of dashes and tells a sighted person nothing.
CHOOSE = _("— choose —")


class ModelChoiceField(forms.ModelChoiceField[_M]):
    """Django's field with its choices read as :class:`ChoiceListIterator` does, and an empty
    entry that says what to do (``CHOOSE``) unless the form names its own."""

    iterator = ChoiceListIterator

    def __init__(
        self, queryset: Manager[_M] | QuerySet[_M] | None, *, empty_label: Any = CHOOSE, **kwargs: Any
    ) -> None:
        super().__init__(queryset, empty_label=empty_label, **kwargs)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField[_M]):
    iterator = ChoiceListIterator


def text_problem(value: str) -> str | None:
    """Why ``value`` is not acceptable text, or None."""
    for char in value:
        if char in FORBIDDEN_CHARACTERS:
            return str(_("The text contains invisible or direction-changing characters; please retype it."))
        category = unicodedata.category(char)
        if category == "Cs":
            return str(_("The text contains characters that are not valid."))
        if category == "Cc" and char not in "\n\r\t":
            return str(_("The text contains control characters that are not allowed."))
    return None


class CleanTextMixin:
    """Refuses hidden, control and broken characters in every text field of the form."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                problem = text_problem(value)
                if problem:
                    self.add_error(name, problem)  # type: ignore[attr-defined]
        return cleaned


class LegalRuleChangeForm(CleanTextMixin, forms.Form):
    value = forms.DecimalField(label=_("New value"), max_digits=14, decimal_places=6, min_value=0)
    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    legal_basis = forms.CharField(label=_("Legal basis of the change"), max_length=300)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CalendarDayForm(CleanTextMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    reason = forms.CharField(label=_("Reason (the decision that declares it)"), max_length=300)


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), max_length=100, required=False)
    actor = forms.EmailField(label=_("Actor's e-mail"), max_length=254, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
