"""Date parameters and fields take YYYY-MM-DD only: pydantic alone would read `0` as a Unix
timestamp, 1 January 1970, and answer for a range nobody asked for. A date before 1900 is a
typo; a time must be one every timezone can show."""

import datetime

import pytest
from django.utils import timezone

from openprm.core.api import iso_date_text
from openprm.core.dates import showable

pytestmark = pytest.mark.django_db

WEST_14 = datetime.timezone(datetime.timedelta(hours=-14))
EAST_14 = datetime.timezone(datetime.timedelta(hours=14))


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/dashboard", "start"),
        ("/api/v1/referrals", "close_from"),
        ("/api/v1/points/ledger", "active_on"),
    ],
)
@pytest.mark.parametrize(
    ("value", "message"),
    [("0", "Enter a date as YYYY-MM-DD."), ("1899-12-31", "Enter a date in 1900 or later.")],
)
def test_a_query_date_that_is_not_a_date_from_1900_on_is_a_422_naming_it(
    client, alice, path, field, value, message
):
    client.force_login(alice)
    response = client.get(path, {field: value})
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [(field, message)]


def test_a_body_date_given_as_a_number_is_a_422_naming_it(client, alice):
    client.force_login(alice)
    response = client.post("/api/v1/deals", {"close_date": 0}, content_type="application/json")
    assert response.status_code == 422
    assert "close_date" in [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize("text", ["2026-12-04", "1999-01-31"])
def test_an_iso_date_passes_through(text):
    assert iso_date_text(text) == text


def test_a_date_before_1900_is_refused_in_the_users_language(client, alice):
    alice.language = "ja"
    alice.save()
    client.force_login(alice)
    response = client.get("/api/v1/dashboard", {"start": "0026-05-01"})
    assert response.json()["errors"][0]["message"] == "1900年以降の日付を入力してください。"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC), True),
        (datetime.datetime(9999, 12, 30, 23, 59, tzinfo=datetime.UTC), True),
        (datetime.datetime(1899, 12, 31, 23, 59, tzinfo=datetime.UTC), False),
        (datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC), False),
        (datetime.datetime(9999, 12, 31, 23, 59, tzinfo=WEST_14), False),
        (datetime.datetime(1, 1, 1, tzinfo=EAST_14), False),
    ],
)
def test_a_time_is_showable_from_1900_to_a_day_before_the_calendars_end(moment, expected):
    assert showable(moment) is expected


def test_a_time_without_an_offset_is_read_in_the_active_timezone():
    late = datetime.datetime(9999, 12, 30, 20, 0)
    assert showable(late)
    with timezone.override("America/Los_Angeles"):
        assert not showable(late)
