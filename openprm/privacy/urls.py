from django.urls import path

from openprm.privacy import views

app_name = "privacy"

urlpatterns = [
    path("settings/privacy/", views.requests, name="requests"),
    path("settings/privacy/export/", views.export, name="export"),
    path("settings/privacy/erase/", views.erase, name="erase"),
]
