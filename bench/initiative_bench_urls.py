"""Glas's URLs plus two baselines, each the least a Django view of its kind can do on the
machine, with the same middleware, session and signed-in user as the pages measured:

- ``/bench/minimal/``: inserts one row (and passes the CSRF check), for ``initiative_signing.py``;
- ``/bench/minimal-page/``: a signed-in GET that reads nothing and renders no template, for
  ``bureau_queue.py --baseline``."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from glas.urls import urlpatterns as glas_urlpatterns


@require_POST
def minimal_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_minimal_row (at) VALUES (%s)", [timezone.now()])
    return HttpResponse(status=204)


@login_required
@require_GET
def minimal_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<p>{request.user.pk}</p>")


urlpatterns = [path("bench/minimal/", minimal_insert), path("bench/minimal-page/", minimal_page), *glas_urlpatterns]
handler400 = "glas.core.views.bad_request"
handler403 = "glas.core.views.permission_denied"
handler404 = "glas.core.views.page_not_found"
handler500 = "glas.core.views.server_error"
