from django.urls import path

from glas.commission import views

app_name = "commission"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/<str:public_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<str:public_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("opinions/<str:public_id>/", views.opinion_detail, name="opinion"),
    # the secretariat
    path("manage/", views.manage, name="manage"),
    path("manage/members/", views.member_appoint, name="member_appoint"),
    path("manage/meetings/", views.meeting_schedule, name="meeting_schedule"),
    # a meeting's workspace (members and the secretariat)
    path("work/<str:public_id>/", views.workspace, name="workspace"),
    path("work/<str:public_id>/items/", views.item_add, name="item_add"),
    path("work/<str:public_id>/attendance/", views.attendance, name="attendance"),
    path("work/<str:public_id>/minutes/", views.minutes, name="minutes"),
    path("work/<str:public_id>/items/<str:item_id>/conflict/", views.conflict, name="conflict"),
    path("work/<str:public_id>/items/<str:item_id>/draft/", views.draft, name="draft"),
    path("work/<str:public_id>/opinions/<str:opinion_id>/open/", views.vote_open, name="vote_open"),
    path("work/<str:public_id>/opinions/<str:opinion_id>/vote/", views.vote, name="vote"),
    path("work/<str:public_id>/opinions/<str:opinion_id>/close/", views.vote_close, name="vote_close"),
    path("work/<str:public_id>/opinions/<str:opinion_id>/dissent/", views.dissent, name="dissent"),
    path("work/<str:public_id>/opinions/<str:opinion_id>/publish/", views.publish, name="publish"),
]
