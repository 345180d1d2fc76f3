"""The shared error mapping: If-Match and ETags, a locked database, application errors."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from openprm.accounts.tests.factories import PartnerFactory
from openprm.core.api import expected_version
from openprm.core.errors import PreconditionFailed
from openprm.core.testing import assert_not_found

pytestmark = [pytest.mark.django_db, pytest.mark.urls("openprm.core.tests.urls")]

API = "/core-tests/api"


def rename(client, organization, if_match=None):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return client.put(
        f"{API}/organizations/{organization.pk}",
        {"name": "Renamed"},
        content_type="application/json",
        **headers,
    )


@pytest.mark.parametrize(
    ("header", "version"), [('"7.3"', 3), ('W/"7.3"', 3), ("*", None), ("", None)]
)
def test_if_match_names_the_version(header, version):
    request = RequestFactory().get("/", HTTP_IF_MATCH=header)
    assert expected_version(request) == version


@pytest.mark.parametrize("header", ["3", '"3"', '"7.x"', "7.3", '"7.3', '"7.3", "7.4"'])
def test_malformed_if_match_is_a_failed_precondition(header):
    request = RequestFactory().get("/", HTTP_IF_MATCH=header)
    with pytest.raises(PreconditionFailed):
        expected_version(request)


def test_update_with_the_current_etag_succeeds_and_sends_the_next_one(client):
    organization = PartnerFactory.create()
    response = rename(client, organization, if_match=organization.etag)
    assert response.status_code == 200
    assert response["ETag"] == f'"{organization.pk}.2"'
    assert response.json()["version"] == 2


def test_update_with_a_stale_etag_is_412_and_changes_nothing(client):
    organization = PartnerFactory.create(name="Northwind Traders")
    stale = organization.etag
    assert rename(client, organization, if_match=stale).status_code == 200
    response = rename(client, organization, if_match=stale)
    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"
    organization.refresh_from_db()
    assert (organization.name, organization.version) == ("Renamed", 2)


def test_malformed_if_match_on_an_update_is_412(client):
    organization = PartnerFactory.create()
    response = rename(client, organization, if_match="version-one")
    assert response.status_code == 412
    organization.refresh_from_db()
    assert organization.version == 1


def test_update_without_if_match_is_accepted(client):
    organization = PartnerFactory.create()
    response = rename(client, organization)
    assert response.status_code == 200
    organization.refresh_from_db()
    assert (organization.name, organization.version) == ("Renamed", 2)


def test_locked_database_in_the_api_is_a_409_json_error(client):
    response = client.get(f"{API}/busy")
    assert response.status_code == 409
    assert response.json() == {
        "code": "busy",
        "message": "The database is busy; retry.",
        "errors": [],
    }


def test_other_database_errors_are_not_disguised_as_busy(client):
    with pytest.raises(OperationalError, match="disk I/O error"):
        client.get(f"{API}/broken")


def test_locked_database_on_a_page_is_the_409_error_page(client):
    response = client.get("/core-tests/busy/")
    assert response.status_code == 409
    assert "error.html" in [template.name for template in response.templates]
    assert "The database is busy; please try again." in response.content.decode()


def test_application_error_on_a_page_is_the_error_page_with_its_status(client):
    response = client.get("/core-tests/conflict/")
    assert response.status_code == 409
    assert "Someone else changed this deal." in response.content.decode()


BEYOND_ANY_INTEGER = 2**70


def test_an_id_beyond_any_database_integer_is_a_404_in_the_api(client, alice):
    client.force_login(alice)
    response = client.get(f"/api/v1/users/{BEYOND_ANY_INTEGER}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_id_beyond_any_database_integer_is_the_404_page(client, alice):
    client.force_login(alice)
    response = client.get(reverse("accounts:user_edit", args=[BEYOND_ANY_INTEGER]))
    assert_not_found(response)


@pytest.mark.urls("openprm.urls")
@pytest.mark.parametrize("path", ["/api/v1/deals/null,null", "/api/v1/deals/1/nothing-here"])
def test_an_api_address_that_names_no_operation_is_a_json_404(client, alice, path):
    client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "message": "Not found.", "errors": []}


@pytest.mark.urls("openprm.urls")
def test_a_page_address_that_names_no_page_is_the_404_page(client, alice):
    client.force_login(alice)
    response = client.get("/deals/null,null/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
