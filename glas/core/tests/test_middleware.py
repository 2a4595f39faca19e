"""The htmx sign-in redirect also works when Glas is served under a sub-path (a script prefix)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory
from django.test.utils import override_script_prefix
from django_htmx.middleware import HtmxMiddleware

from glas.core.middleware import HtmxSignInRedirectMiddleware, sign_in_prefix


def respond(location: str, headers: dict[str, str]) -> HttpResponse:
    request = RequestFactory().get("/glas/bureau/cases/x/step/extend/", headers=headers)
    handler = HtmxMiddleware(HtmxSignInRedirectMiddleware(lambda _request: HttpResponseRedirect(location)))
    return handler(request)


def test_the_sign_in_pages_are_found_under_the_script_prefix():
    assert sign_in_prefix() == "/accounts/"
    with override_script_prefix("/glas/"):
        assert sign_in_prefix() == "/glas/accounts/"


def test_under_a_sub_path_an_htmx_request_sent_to_sign_in_gets_hx_redirect_back_to_its_page():
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/glas/bureau/cases/x/"}
    with override_script_prefix("/glas/"):
        response = respond("/glas/accounts/login/?next=/glas/bureau/cases/x/step/extend/", headers)
        # Another page under the prefix that is not a sign-in page is left to htmx.
        other = respond("/glas/bureau/cases/x/", headers)
    assert response.status_code == 200
    target = urlsplit(response["HX-Redirect"])
    assert target.path == "/glas/accounts/login/"
    assert parse_qs(target.query) == {"next": ["/glas/bureau/cases/x/"]}
    assert other.status_code == 302


def test_without_the_prefix_a_path_that_only_looks_like_sign_in_is_left_alone():
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/glas/bureau/cases/x/"}
    with override_script_prefix("/glas/"):
        # Under /glas/, /accounts/ belongs to some other application on the host.
        assert respond("/accounts/login/", headers).status_code == 302
