from django.urls import path

from glas.accounts import views

app_name = "accounts"

# Mounted at the site root: a person's own pages under me/, staff tools under staff/.
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/notifications/", views.notification_settings, name="notification_settings"),
    path("me/data/", views.data_export, name="data_export"),
    path("me/delete/", views.account_delete, name="account_delete"),
    path("me/consents/", views.consents, name="consents"),
    path("legal/<slug:kind>/", views.consent_text, name="consent_text"),
    path("staff/residents/", views.verification_find, name="verification_find"),
    path("staff/residents/<int:pk>/", views.verify_resident, name="verify_resident"),
    path("staff/residents/<int:pk>/revoke/", views.verification_revoke, name="verification_revoke"),
    path("staff/roles/", views.roles, name="roles"),
]
