from django.urls import URLPattern, URLResolver, path

from glas.council.views import public, staff

app_name = "council"

urlpatterns: list[URLPattern | URLResolver] = [
    # Public registry (views/public.py)
    path("", public.council_home, name="home"),
    path("councillors/<int:pk>/", public.councillor_detail, name="councillor"),
    path("councillors/<int:pk>/photo/", public.councillor_photo, name="councillor_photo"),
    path("sessions/", public.session_list, name="session_list"),
    path("sessions/<int:pk>/", public.session_detail, name="session"),
    path("sessions/<int:pk>/minutes.pdf", public.minutes_download, name="minutes_file"),
    path("documents/<int:pk>/", public.document_download, name="document"),
    path("decisions/", public.decision_list, name="decision_list"),
    path("decisions/<uuid:public_id>/", public.decision_detail, name="decision"),
    # Staff pages (views/staff.py)
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/sessions/new/", staff.session_create, name="staff_session_create"),
    path("staff/sessions/<int:pk>/", staff.staff_session, name="staff_session"),
    path("staff/sessions/<int:pk>/edit/", staff.session_edit, name="staff_session_edit"),
    path("staff/sessions/<int:pk>/agenda/", staff.agenda_add, name="staff_agenda_add"),
    path("staff/sessions/<int:pk>/documents/", staff.document_add, name="staff_document_add"),
    path("staff/sessions/<int:pk>/minutes/", staff.minutes_save, name="staff_minutes"),
    path("staff/sessions/<int:pk>/decisions/new/", staff.decision_create, name="staff_decision_create"),
    path("staff/decisions/<uuid:public_id>/edit/", staff.decision_edit, name="staff_decision_edit"),
    path("staff/decisions/<uuid:public_id>/votes/", staff.decision_votes, name="staff_votes"),
    path("staff/import/", staff.decisions_import, name="staff_import"),
]
