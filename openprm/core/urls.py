"""The site-wide addresses that belong to no feature: the health check operators probe."""

from django.urls import path

from openprm.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
]
