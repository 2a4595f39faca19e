from django.urls import URLPattern, URLResolver, path

from glas.bureau.views import public, work

app_name = "bureau"

# --- Public: the bureau, the request form, following a case, statistics (views/public.py) ----
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.bureau_home, name="home"),
    path("ask/", public.ask, name="ask"),
    path("ask/sent/", public.submitted, name="submitted"),
    path("confirm/<str:token>/", public.confirm, name="confirm"),
    path("follow/<str:reference>/<str:token>/", public.follow, name="follow"),
    path("my/", public.my_cases, name="my_cases"),
    path("my/<str:reference>/", public.my_case, name="my_case"),
    path("statistics/", public.statistics_page, name="statistics"),
    path("released/", public.released, name="released"),
]

# --- Advisors: queue, intake, case page and steps (views/work.py) -----------------------------
urlpatterns += [
    path("cases/", work.queue, name="queue"),
    path("cases/new/", work.case_new, name="case_new"),
    path("cases/<str:reference>/", work.case_detail, name="case_detail"),
    path("cases/<str:reference>/link/", work.case_link, name="case_link"),
    path("cases/<str:reference>/link/renew/", work.case_link_renew, name="case_link_renew"),
    path("cases/<str:reference>/<slug:action>/", work.case_action, name="case_action"),
]

# --- Knowledge base (views/knowledge.py) -----------------------------------------------------
from glas.bureau.views import appointments, knowledge  # noqa: E402

urlpatterns += [
    path("kb/", knowledge.kb_list, name="kb_list"),
    path("kb/suggest/", knowledge.kb_suggest, name="kb_suggest"),
    path("kb/manage/", knowledge.kb_manage, name="kb_manage"),
    path("kb/manage/new/", knowledge.kb_edit, name="kb_new"),
    path("kb/manage/<slug:slug>/", knowledge.kb_edit, name="kb_edit"),
    path("kb/manage/<slug:slug>/<slug:to>/", knowledge.kb_transition, name="kb_transition"),
    path("kb/<slug:slug>/", knowledge.kb_article, name="kb_article"),
]

# --- Appointments (views/appointments.py) ----------------------------------------------------
urlpatterns += [
    path("appointments/", appointments.slot_list, name="slots"),
    path("appointments/<int:slot_id>/book/", appointments.book, name="book"),
    path("appointments/booked/", appointments.booked, name="booked"),
    path("appointments/manage/", appointments.appointments_manage, name="appointments_manage"),
    path("appointments/manage/<int:pk>/mark/", appointments.appointment_mark, name="appointment_mark"),
    path("appointments/b/<str:token>/", appointments.appointment_page, name="appointment"),
    path("appointments/b/<str:token>/calendar.ics", appointments.appointment_ics, name="appointment_ics"),
]
