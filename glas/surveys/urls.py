from django.urls import URLPattern, URLResolver, path

from glas.surveys.views import entry, respond

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = []

# --- Design: researchers build questionnaires (views/design.py) --------------------------------
urlpatterns += []


# --- Respondents: public link, invitation, save and resume, review, withdraw (views/respond.py) --
urlpatterns += [
    path("", respond.open_list, name="open_list"),
    path("<uuid:public_id>/", respond.respond_start, name="respond_start"),
    path("<uuid:public_id>/i/<str:token>/", respond.respond_invitation, name="respond_invitation"),
    path("r/<uuid:response_id>/", respond.respond_resume, name="respond_resume"),
    path("r/<uuid:response_id>/page/<int:number>/", respond.respond_page, name="respond_page"),
    path("r/<uuid:response_id>/review/", respond.respond_review, name="respond_review"),
    path("r/<uuid:response_id>/done/", respond.respond_done, name="respond_done"),
    path("r/<uuid:response_id>/withdraw/", respond.respond_withdraw, name="respond_withdraw"),
]


# --- Assisted, paper and phone entry; double entry (views/entry.py) ----------------------------
urlpatterns += [
    path("entry/", entry.entry_list, name="entry_list"),
    path("entry/<uuid:public_id>/new/", entry.entry_start, name="entry_start"),
    path("entry/r/<uuid:response_id>/", entry.entry_resume, name="entry_resume"),
    path("entry/r/<uuid:response_id>/page/<int:number>/", entry.entry_page, name="entry_page"),
    path("entry/r/<uuid:response_id>/review/", entry.entry_review, name="entry_review"),
    path("design/<uuid:public_id>/double-entry/", entry.entry_mismatches, name="entry_mismatches"),
]


# --- Fieldwork: invitations, letters, reminders, monitor (views/fieldwork.py) -------------------
urlpatterns += []


# --- Results: exports, codebook, public results (views/results.py) -----------------------------
urlpatterns += []
