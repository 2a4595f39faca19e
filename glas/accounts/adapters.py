"""allauth adapter: e-mail addresses are stored lower-case; new accounts get the site language."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import get_language


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        language = (get_language() or "bg")[:2]
        user.language = language if language in {"bg", "en"} else "bg"
        if commit:
            user.save()
        return user
