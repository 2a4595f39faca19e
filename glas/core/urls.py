from django.urls import path

from glas.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("rules/", views.rules_list, name="rules"),
    path("rules/<str:key>/", views.rule_history, name="rule_history"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/rules/<str:key>/change/", views.rule_change, name="rule_change"),
    path("staff/calendar/", views.calendar_days, name="calendar"),
    path("staff/calendar/<int:pk>/remove/", views.calendar_day_remove, name="calendar_day_remove"),
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("prefs/text-size/", views.text_size, name="text_size"),
]
