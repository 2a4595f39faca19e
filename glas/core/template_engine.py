"""The template backend: Django's own, except that its check knows that ``{% load i18n %}`` is
mapped to ``core/templatetags/translations.py`` on purpose (``TEMPLATES``' ``libraries``).
Django's check calls any label with two modules a clash (templates.W003); every other clash is
still reported."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage
from django.template.backends.django import DjangoTemplates

# The library label Glas maps to its own module, and that module.
I18N_LABEL, I18N_MODULE = "i18n", "glas.core.templatetags.translations"
INTENDED = f"{I18N_LABEL!r} is used for multiple template tag modules: {'django.templatetags.i18n'!r}, {I18N_MODULE!r}"


class Templates(DjangoTemplates):
    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            issue for issue in super().check(**kwargs) if not (issue.id == "templates.W003" and issue.msg == INTENDED)
        ]
