from django.urls import URLPattern

app_name = "surveys"

# The pages are built on the services in glas/surveys/services.py by later work.
urlpatterns: list[URLPattern] = []
