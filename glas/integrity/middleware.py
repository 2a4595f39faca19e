"""Privacy for the integrity channel: the reporter's device leaves no trace.

For every request under ``/integrity/`` this middleware, placed first, removes the client's
address, user agent, referrer and forwarding headers from the request before any other code
(views, error reports, logging) can see them, and sets strict headers on the response: nothing is
cached, no referrer leaves the site, and the Content-Security-Policy allows only this site's own
stylesheet and forms. The project's access log (``gunicorn.conf.py``) records no addresses or
user agents at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PREFIX = "/integrity/"
STRIPPED = (
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_X_CLIENT_IP",
    "HTTP_VIA",
)
NO_ADDRESS = "0.0.0.0"  # noqa: S104 (a placeholder, not a bind address)
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


# Not "no-referrer": with it, browsers send "Origin: null" with every form post, which Django's CSRF
# protection rightly refuses (and the alternative, exempting the forms from CSRF checks, is worse).
# "same-origin" sends no referrer to any other site, which is what protects the reporter: these
# pages load nothing from elsewhere, and the Referer that comes back to this site is removed above
# before anything can read or log it.
REFERRER_POLICY = "same-origin"


def is_integrity_path(path: str) -> bool:
    return path.startswith(PREFIX) or any(path.startswith(f"/{lang}{PREFIX}") for lang in ("bg", "en"))


class ReporterPrivacyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_integrity_path(request.path):
            return self.get_response(request)
        for header in STRIPPED:
            request.META.pop(header, None)
        request.META["REMOTE_ADDR"] = NO_ADDRESS
        response = self.get_response(request)
        response.headers["Cache-Control"] = "no-store, max-age=0"
        response.headers["Pragma"] = "no-cache"
        response.headers["Referrer-Policy"] = REFERRER_POLICY
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
