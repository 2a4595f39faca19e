from django.urls import path

from glas.integrity import views

app_name = "integrity"

urlpatterns = [
    path("", views.start, name="start"),
    path("report/<str:kind>/", views.report_new, name="report_new"),
    path("follow/", views.follow, name="follow"),
    path("follow/report/", views.follow_report, name="follow_report"),
    path("follow/leave/", views.follow_leave, name="follow_leave"),
    # integrity officers
    path("officers/keys/", views.keys, name="keys"),
    path("officers/lock/", views.lock, name="lock"),
    path("officers/share/", views.share, name="share"),
    path("officers/reports/", views.inbox, name="inbox"),
    path("officers/register/", views.register, name="register"),
    path("officers/statistics/", views.statistics, name="statistics"),
    path("officers/reports/<uuid:public_id>/", views.officer_report, name="officer_report"),
    path("officers/reports/<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("officers/reports/<uuid:public_id>/message/", views.message, name="message"),
    path("officers/reports/<uuid:public_id>/forward/", views.forward, name="forward"),
    path("officers/reports/<uuid:public_id>/close/", views.close, name="close"),
    path("officers/reports/<uuid:public_id>/identity/", views.identity_request, name="identity_request"),
    path(
        "officers/reports/<uuid:public_id>/identity/<int:request_id>/approve/",
        views.identity_approve,
        name="identity_approve",
    ),
    path("officers/reports/<uuid:public_id>/identity/reveal/", views.identity_reveal, name="identity_reveal"),
    path("officers/reports/<uuid:public_id>/files/<str:stored>/", views.attachment, name="attachment"),
]
