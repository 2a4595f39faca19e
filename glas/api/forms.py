from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.core.forms import CleanTextMixin


class ApiTokenForm(CleanTextMixin, forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        help_text=_("For example, the name of the program that will use it."),
        max_length=100,
    )
