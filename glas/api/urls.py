from django.urls import path

from glas.api import views

app_name = "api_tokens"

# Mounted at the site root, beside the person's other pages under me/.
urlpatterns = [
    path("me/tokens/", views.tokens, name="list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
