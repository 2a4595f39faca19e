from django.urls import URLPattern, URLResolver

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = []

# --- Design: researchers build questionnaires (views/design.py) --------------------------------
urlpatterns += []


# --- Respondents: public link, invitation, save and resume, review, withdraw (views/respond.py) --
urlpatterns += []


# --- Assisted, paper and phone entry; double entry (views/entry.py) ----------------------------
urlpatterns += []


# --- Fieldwork: invitations, letters, reminders, monitor (views/fieldwork.py) -------------------
from django.urls import path  # noqa: E402

from glas.surveys.views import fieldwork  # noqa: E402

urlpatterns += [
    path("design/<uuid:public_id>/invitations/", fieldwork.fieldwork_invitations, name="fieldwork_invitations"),
    path("design/<uuid:public_id>/invitations/upload/", fieldwork.fieldwork_upload, name="fieldwork_upload"),
    path("design/<uuid:public_id>/invitations/sample/", fieldwork.fieldwork_sample, name="fieldwork_sample"),
    path("design/<uuid:public_id>/invitations/send/", fieldwork.fieldwork_send, name="fieldwork_send"),
    path("design/<uuid:public_id>/invitations/letters.pdf", fieldwork.fieldwork_letters, name="fieldwork_letters"),
    path("design/<uuid:public_id>/monitor/", fieldwork.fieldwork_monitor, name="fieldwork_monitor"),
]


# --- Results: exports, codebook, public results (views/results.py) -----------------------------
urlpatterns += []
