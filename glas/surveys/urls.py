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
urlpatterns += []
