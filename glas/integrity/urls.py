from django.urls import path

from glas.integrity.views import declarations, reports

app_name = "integrity"

urlpatterns = [
    path("", reports.start, name="start"),
    path("report/<str:kind>/", reports.report_new, name="report_new"),
    path("follow/", reports.follow, name="follow"),
    path("follow/report/", reports.follow_report, name="follow_report"),
    path("follow/leave/", reports.follow_leave, name="follow_leave"),
    # the public register of interest declarations
    path("declarations/", declarations.declarations, name="declarations"),
    path("declarations/new/", declarations.declaration_new, name="declaration_new"),
    path("declarations/<uuid:public_id>/", declarations.declaration, name="declaration"),
    path("declarations/<uuid:public_id>/document.pdf", declarations.declaration_document, name="declaration_document"),
    path("ethics/", declarations.ethics, name="ethics"),
    path("ethics/publish/", declarations.ethics_publish, name="ethics_publish"),
    path("ethics/<int:pk>/code.pdf", declarations.ethics_document, name="ethics_document"),
    path("officers/flags/", declarations.flags, name="flags"),
    path("officers/flags/scan/", declarations.flags_scan, name="flags_scan"),
    path("officers/flags/<int:pk>/", declarations.flag_review, name="flag_review"),
    # integrity officers
    path("officers/keys/", reports.keys, name="keys"),
    path("officers/lock/", reports.lock, name="lock"),
    path("officers/share/", reports.share, name="share"),
    path("officers/reports/", reports.inbox, name="inbox"),
    path("officers/register/", reports.register, name="register"),
    path("officers/statistics/", reports.statistics, name="statistics"),
    path("officers/reports/<uuid:public_id>/", reports.officer_report, name="officer_report"),
    path("officers/reports/<uuid:public_id>/acknowledge/", reports.acknowledge, name="acknowledge"),
    path("officers/reports/<uuid:public_id>/message/", reports.message, name="message"),
    path("officers/reports/<uuid:public_id>/forward/", reports.forward, name="forward"),
    path("officers/reports/<uuid:public_id>/close/", reports.close, name="close"),
    path("officers/reports/<uuid:public_id>/identity/", reports.identity_request, name="identity_request"),
    path(
        "officers/reports/<uuid:public_id>/identity/<int:request_id>/approve/",
        reports.identity_approve,
        name="identity_approve",
    ),
    path("officers/reports/<uuid:public_id>/identity/reveal/", reports.identity_reveal, name="identity_reveal"),
    path("officers/reports/<uuid:public_id>/files/<str:stored>/", reports.attachment, name="attachment"),
]
