"""Every staff role requires a TOTP second factor.

A person with a staff role who has not activated TOTP can reach only the pages to set it up
(and to sign out); everything else redirects there with an explanation. allauth then asks for
the code at every login.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from glas.accounts.cache import has_totp

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/readyz", "/prefs/")


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff_member
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives you access to other people's data, so you must set up a second "
                    "factor (an authenticator app) before you continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
