from django.urls import URLPattern, URLResolver, path

from glas.initiatives.views import manage, public, verification

app_name = "initiatives"

_one = "<uuid:public_id>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.initiative_list, name="list"),
    path("new/", manage.initiative_create, name="create"),
    path("mine/", manage.my_initiatives, name="mine"),
    path("committee/<str:token>/", public.committee_confirm, name="committee_confirm"),
    path(_one, public.initiative_detail, name="detail"),
    path(f"{_one}sign/", public.initiative_sign, name="sign"),
    path(f"{_one}withdraw/", public.initiative_withdraw, name="withdraw"),
    path(f"{_one}manage/", manage.initiative_manage, name="manage"),
    path(f"{_one}action/<slug:action>/", manage.initiative_action, name="action"),
    path(f"{_one}paper/", manage.paper_entry, name="paper_entry"),
    path(f"{_one}sheet.pdf", verification.signature_sheet, name="sheet"),
    path(f"{_one}verification/", verification.verification, name="verification"),
    path(f"{_one}verification/export.<slug:fmt>", verification.export, name="export"),
    path(f"{_one}verification/import/", verification.registry_import, name="registry_import"),
    path(f"{_one}verification/invalidate/", verification.invalidate, name="invalidate"),
    path(f"{_one}verification/held/<uuid:signature_id>/", verification.held_review, name="held_review"),
]
