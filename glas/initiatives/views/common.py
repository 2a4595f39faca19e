"""What the initiative views share: turning a domain error into a form error or a 403."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied

from glas.core.exceptions import DomainError


def form_error(form: forms.Form, error: DomainError) -> None:
    """Put the service's message on its field (or on the form); a refused permission is a 403."""
    if error.code == "forbidden":
        raise PermissionDenied
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
