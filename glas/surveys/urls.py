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
urlpatterns += []


# --- Results: exports, codebook, public results (views/results.py) -----------------------------
from django.urls import path  # noqa: E402

from glas.surveys.views import results  # noqa: E402

urlpatterns += [
    path("design/<uuid:public_id>/data/", results.results_exports, name="results_exports"),
    path("design/<uuid:public_id>/data/publish/", results.results_publish, name="results_publish"),
    path("design/<uuid:public_id>/data/codebook/", results.results_codebook, name="results_codebook"),
    path("design/<uuid:public_id>/data/codebook.pdf", results.results_codebook_pdf, name="results_codebook_pdf"),
    path("design/<uuid:public_id>/data/<str:fmt>/", results.results_export, name="results_export"),
    path("<uuid:public_id>/results/", results.results_public, name="results_public"),
]
