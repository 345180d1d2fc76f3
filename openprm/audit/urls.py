from django.urls import path

from openprm.audit import views

app_name = "audit"

urlpatterns = [
    path("settings/audit/", views.audit_log, name="log"),
]
