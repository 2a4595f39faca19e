from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseRedirectBase
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

# Everything Glas serves comes from its own origin; htmx is configured not to inject styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def sign_in_prefix() -> str:
    """Where the sign-in and second-factor pages live: the folder of allauth's sign-in page, with
    the deployment's script prefix (``/accounts/``, or ``/glas/accounts/`` under a sub-path)."""
    login = reverse("account_login")
    return login[: login.rstrip("/").rfind("/") + 1]


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class HtmxSignInRedirectMiddleware:
    """Send the whole page to the sign-in (or second-factor) page when an htmx request needs it.

    htmx follows a redirect inside its request and would swap the sign-in page into a panel or a
    list item, for example when a session ended while a page was open. For such a request the
    redirect becomes an ``HX-Redirect`` to the same place, with ``next`` pointing back to the page
    the person was on rather than to the fragment. Other redirects are left to htmx.
    Must come after django-htmx's middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if not htmx or htmx.boosted or not isinstance(response, HttpResponseRedirectBase):
            return response
        location = urlsplit(response.url)
        if location.netloc or not location.path.startswith(sign_in_prefix()):
            return response
        query = QueryDict(location.query, mutable=True)
        page = htmx.current_url_abs_path
        if "next" in query and page and url_has_allowed_host_and_scheme(page, allowed_hosts=None):
            query["next"] = page
        return HttpResponseClientRedirect(urlunsplit(location._replace(query=query.urlencode(safe="/"))))
