"""Glas's URLs plus ``/bench/minimal/``: a minimal Django view that inserts one row (same
middleware, session and CSRF check as signing), the baseline of ``initiative_signing.py``."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from glas.urls import urlpatterns as glas_urlpatterns


@require_POST
def minimal_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_minimal_row (at) VALUES (%s)", [timezone.now()])
    return HttpResponse(status=204)


urlpatterns = [path("bench/minimal/", minimal_insert), *glas_urlpatterns]
handler400 = "glas.core.views.bad_request"
handler403 = "glas.core.views.permission_denied"
handler404 = "glas.core.views.page_not_found"
handler500 = "glas.core.views.server_error"
