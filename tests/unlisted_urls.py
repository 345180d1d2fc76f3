"""The site plus pages the permission matrix has no row for, to prove the matrix notices."""

from django.urls import path

from openprm.core.views import not_found
from openprm.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    *site_urlpatterns,
    path("unlisted/<int:thing_id>/", not_found, name="unlisted"),
    path("nameless/", not_found),
]
