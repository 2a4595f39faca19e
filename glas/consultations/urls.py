from django.urls import URLPattern, URLResolver, path

from glas.consultations.views import feeds, opinion_map, public, staff

app_name = "consultations"

# --- Public pages (views/public.py) -------------------------------------------------------------
_draft = "<uuid:public_id>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.consultation_list, name="list"),
    path(_draft, public.consultation_detail, name="detail"),
    path(f"{_draft}contribute/", public.contribution_new, name="contribute"),
    path(f"{_draft}c/<uuid:contribution_id>/react/", public.reaction_set, name="react"),
    path(f"{_draft}report/", public.report_page, name="report"),
    path(f"{_draft}report.<str:fmt>", public.report_file, name="report_file"),
    path(f"{_draft}timeline/", public.timeline, name="timeline"),
    path(f"{_draft}documents/<int:attachment_id>/", public.attachment_download, name="attachment"),
    path("confirm/<str:token>/", public.contribution_confirm, name="confirm"),
    # the opinion map (views/opinion_map.py)
    path(f"{_draft}map/", opinion_map.opinion_map, name="opinion_map"),
    path(f"{_draft}map/statements/", opinion_map.statement_add, name="statement_add"),
    path(f"{_draft}map/statements/<int:statement_id>/vote/", opinion_map.statement_vote, name="statement_vote"),
    path("staff/<uuid:public_id>/map/", opinion_map.opinion_map_manage, name="opinion_map_manage"),
]

# --- Following: calendar, feed, subscriptions (views/feeds.py) ---------------------------------
urlpatterns += [
    path("calendar.ics", feeds.calendar_ics, name="calendar"),
    path("feed.atom", feeds.ConsultationFeed(), name="feed"),
    path("subscriptions/", feeds.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/remove/", feeds.subscription_remove, name="subscription_remove"),
]

# --- Staff (views/staff.py) ----------------------------------------------------------------------
_staff = "staff/<uuid:public_id>/"
urlpatterns += [
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/new/", staff.draft_create, name="create"),
    path(_staff, staff.draft_manage, name="manage"),
    path(f"{_staff}edit/", staff.draft_edit, name="edit"),
    path(f"{_staff}text/", staff.draft_text, name="text"),
    path(f"{_staff}attachments/", staff.attachment_add, name="attachment_add"),
    path(f"{_staff}publish/", staff.consultation_publish, name="publish"),
    path(f"{_staff}extend/", staff.consultation_extend, name="extend"),
    path(f"{_staff}enter/", staff.contribution_enter, name="enter"),
    path(f"{_staff}proposals/", staff.proposals, name="proposals"),
    path(f"{_staff}proposals/<uuid:contribution_id>/answer/", staff.proposal_answer, name="answer"),
    path(f"{_staff}proposals/<uuid:contribution_id>/hide/", staff.proposal_hide, name="hide"),
    path(f"{_staff}report/publish/", staff.report_publish, name="report_publish"),
    path(f"{_staff}send-to-council/", staff.send_to_council, name="send_to_council"),
    path(f"{_staff}adopt/", staff.draft_adopt, name="adopt"),
    path(f"{_staff}withdraw/", staff.draft_withdraw, name="withdraw"),
]
