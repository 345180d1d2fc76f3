"""Date parameters and fields take YYYY-MM-DD only: pydantic alone would read `0` as a Unix
timestamp, 1 January 1970, and answer for a range nobody asked for."""

import pytest

from openprm.core.api import iso_date_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/dashboard", "start"),
        ("/api/v1/referrals", "close_from"),
        ("/api/v1/points/ledger", "active_on"),
    ],
)
def test_a_query_date_given_as_a_number_is_a_422_naming_it(client, alice, path, field):
    client.force_login(alice)
    response = client.get(path, {field: "0"})
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_a_body_date_given_as_a_number_is_a_422_naming_it(client, alice):
    client.force_login(alice)
    response = client.post("/api/v1/deals", {"close_date": 0}, content_type="application/json")
    assert response.status_code == 422
    assert "close_date" in [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize("text", ["2026-12-04", "1999-01-31"])
def test_an_iso_date_passes_through(text):
    assert iso_date_text(text) == text
