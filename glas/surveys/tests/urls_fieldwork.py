"""The site's URLs, plus stand-ins for the respondents' pages that invitations link to
(``surveys:respond_invitation`` and ``surveys:respond_start``) where those are not built yet.
Used by the fieldwork tests through ``pytest.mark.urls``."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from glas import urls as site_urls
from glas.surveys import urls as survey_urls


def _stand_in(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("stand-in")


_names = {pattern.name for pattern in survey_urls.urlpatterns if isinstance(pattern, URLPattern)}
_extra = []
if "respond_invitation" not in _names:
    _extra.append(path("<uuid:public_id>/i/<str:token>/", _stand_in, name="respond_invitation"))
if "respond_start" not in _names:
    _extra.append(path("<uuid:public_id>/", _stand_in, name="respond_start"))

urlpatterns: list[URLPattern | URLResolver] = [
    pattern
    for pattern in site_urls.urlpatterns
    if not (isinstance(pattern, URLResolver) and getattr(pattern, "app_name", None) == "surveys")
]
urlpatterns.append(path("surveys/", include(([*survey_urls.urlpatterns, *_extra], "surveys"))))

handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
