"""A test-only URL configuration: the site plus routes that exercise the shared error mapping."""

from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI, Schema

from openprm.accounts.models import Organization
from openprm.core.api import UPDATE_ERRORS, StrictSchema, expected_version, install_error_handlers
from openprm.core.api import with_etag as send_etag
from openprm.core.errors import Conflict
from openprm.urls import urlpatterns as site_urlpatterns

api = NinjaAPI(urls_namespace="core-tests", docs_url=None, openapi_url=None)
install_error_handlers(api)


class RenameIn(StrictSchema):
    name: str


class OrganizationOut(Schema):
    id: int
    name: str
    version: int


@api.put("/organizations/{organization_id}", response={200: OrganizationOut, **UPDATE_ERRORS})
def rename_organization(
    request: HttpRequest, response: HttpResponse, organization_id: int, payload: RenameIn
):
    expected = expected_version(request)
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization_id)
        organization.check_version(expected)
        organization.name = payload.name
        organization.bump_version()
        organization.save()
    return send_etag(response, organization)


@api.get("/busy", response={200: OrganizationOut, **UPDATE_ERRORS})
def busy_api(request: HttpRequest):
    raise OperationalError("database is locked")


@api.get("/broken", response={200: OrganizationOut, **UPDATE_ERRORS})
def broken_api(request: HttpRequest):
    raise OperationalError("disk I/O error")


def busy_page(request: HttpRequest) -> HttpResponse:
    raise OperationalError("database is locked")


def conflict_page(request: HttpRequest) -> HttpResponse:
    raise Conflict("Someone else changed this deal.")


urlpatterns = [
    *site_urlpatterns,
    path("core-tests/api/", api.urls),
    path("core-tests/busy/", busy_page),
    path("core-tests/conflict/", conflict_page),
]
