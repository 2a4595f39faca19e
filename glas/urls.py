from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from glas.api.api import api
from glas.core import views as core_views

admin.site.site_header = "Glas"
admin.site.site_title = "Glas"
# The admin signs in through allauth, so its second factor applies there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("glas.accounts.urls")),
    path("", include("glas.api.urls")),
    path("", include("glas.core.urls")),
    path("surveys/", include("glas.surveys.urls")),
    path("commission/", include("glas.commission.urls")),
    path("integrity/", include("glas.integrity.urls")),
    path("council/", include("glas.council.urls")),
    path("consultations/", include("glas.consultations.urls")),
    path("bureau/", include("glas.bureau.urls")),
    path("initiatives/", include("glas.initiatives.urls")),
]

handler400 = "glas.core.views.bad_request"
handler403 = "glas.core.views.permission_denied"
handler404 = "glas.core.views.page_not_found"
handler500 = "glas.core.views.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
