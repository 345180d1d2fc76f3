from django.contrib import admin
from django.urls import include, path

from openprm.api import api

urlpatterns = [
    path("", include("openprm.accounts.urls")),
    path("", include("openprm.core.urls")),
    path("", include("openprm.crm.urls", namespace="crm")),
    path("", include("openprm.points.urls", namespace="points")),
    path("", include("openprm.privacy.urls", namespace="privacy")),
    path("", include("openprm.webhooks.urls", namespace="webhooks")),
    path("", include("openprm.audit.urls", namespace="audit")),
    path("admin/", admin.site.urls),
    path("dashboard/", include("openprm.dashboard.urls", namespace="dashboard")),
    path("deals/", include("openprm.deals.urls", namespace="deals")),
    path("goals/", include("openprm.goals.urls", namespace="goals")),
    path("referrals/", include("openprm.referrals.urls", namespace="referrals")),
    path("api/v1/", api.urls),
    path("imports/", include("openprm.imports.urls", namespace="imports")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("openprm.notifications.urls")),
]

handler404 = "openprm.core.views.not_found"
