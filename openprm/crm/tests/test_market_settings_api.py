"""Growth markets and exchange rates through the API and Program settings: the program admin
adds and changes them; bad input names the field and writes nothing; each change is in the
audit log."""

import datetime
from decimal import Decimal

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.crm.models import ExchangeRate, Market
from openprm.crm.tests.factories import currency

pytestmark = pytest.mark.django_db

MARKETS = "/api/v1/settings/markets"
RATES = "/api/v1/settings/exchange-rates"
JSON = "application/json"
DAY = datetime.date(2026, 4, 1)


def send(client, user, method, url, **body):
    return getattr(client, method)(url, body, content_type=JSON, **bearer(client, user))


@pytest.fixture
def market(db):
    return Market.objects.update_or_create(
        country="TH", defaults={"is_growth": False, "point_multiplier": Decimal(1)}
    )[0]


def test_the_program_admin_makes_a_growth_market_and_the_audit_log_records_it(
    client, victor, market
):
    response = send(client, victor, "patch", f"{MARKETS}/{market.pk}", is_growth=True,
                    point_multiplier="1.5")  # fmt: skip

    assert response.status_code == 200
    assert (response.json()["is_growth"], response.json()["point_multiplier"]) == (True, "1.50")
    event = Event.objects.get(kind="market.updated")
    assert (event.actor, event.data["changes"]) == (
        victor, {"is_growth": [False, True], "point_multiplier": ["1.00", "1.50"]},
    )  # fmt: skip
    growth = client.get(f"{MARKETS}?growth=true", **bearer(client, victor)).json()
    assert "TH" in [row["country"] for row in growth]


def test_the_program_admin_adds_a_market(client, victor):
    Market.objects.filter(country="KE").delete()

    response = send(client, victor, "post", MARKETS, country="ke", is_growth=True)

    assert response.status_code == 201
    assert response.json()["country"] == "KE"
    assert Event.objects.get(kind="market.created").data["changes"]["country"] == [None, "KE"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"country": "XX"}, "country"), ({"country": "TH"}, "country"),
     ({"country": "KE", "point_multiplier": "-1"}, "point_multiplier")],
)  # fmt: skip
def test_bad_market_input_is_a_422_naming_the_field(client, victor, market, body, field):
    Market.objects.filter(country="KE").delete()
    before = Market.objects.count()

    response = send(client, victor, "post", MARKETS, **body)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Market.objects.count() == before
    assert not Event.objects.filter(kind__startswith="market.").exists()


def test_the_program_admin_adds_a_rate_and_the_audit_log_records_it(client, victor):
    currency("EUR")

    response = send(client, victor, "post", RATES, currency="EUR", valid_from=DAY.isoformat(),
                    usd_per_unit="1.0825")  # fmt: skip

    assert response.status_code == 201
    assert response.json()["currency"] == "EUR"
    listed = client.get(f"{RATES}?currency=EUR", **bearer(client, victor)).json()
    assert listed[0]["valid_from"] == DAY.isoformat()
    event = Event.objects.get(kind="exchange_rate.created")
    assert event.data["changes"]["usd_per_unit"] == [None, "1.0825000000"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"currency": "EUR", "usd_per_unit": "-1"}, "usd_per_unit"),
        ({"currency": "EUR", "usd_per_unit": "0"}, "usd_per_unit"),
        ({"currency": "EUR", "usd_per_unit": "1.2"}, "valid_from"),
        ({"currency": "ZZZ", "usd_per_unit": "1.2"}, "currency"),
        ({"currency": "USD", "usd_per_unit": "1"}, "currency"),
    ],
)
def test_bad_rate_input_is_a_422_naming_the_field(client, victor, body, field):
    ExchangeRate.objects.create(currency=currency("EUR"), valid_from=DAY, usd_per_unit=1)

    response = send(client, victor, "post", RATES, valid_from=DAY.isoformat(), **body)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert ExchangeRate.objects.count() == 1
    assert not Event.objects.filter(kind__startswith="exchange_rate.").exists()


def test_anyone_but_the_program_admin_gets_a_403(client, alice, pam):
    for user in (alice, pam):
        assert client.get(MARKETS, **bearer(client, user)).status_code == 403
        assert client.get(RATES, **bearer(client, user)).status_code == 403
        response = send(client, user, "post", RATES, currency="EUR", valid_from="2026-04-01",
                        usd_per_unit="1")  # fmt: skip
        assert response.status_code == 403
    assert not ExchangeRate.objects.exists()


def test_program_settings_names_the_field_of_a_second_rate_on_a_day(client, victor):
    eur = currency("EUR")
    ExchangeRate.objects.create(currency=eur, valid_from=DAY, usd_per_unit=1)
    client.force_login(victor)

    response = client.post(
        "/admin/crm/exchangerate/add/",
        {"currency": "EUR", "valid_from": DAY.isoformat(), "usd_per_unit": "1.1"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "valid_from": ["This currency already has a rate from this day."]
    }


def test_program_settings_saves_a_market_through_the_same_service(client, victor, market):
    client.force_login(victor)

    response = client.post(
        f"/admin/crm/market/{market.pk}/change/",
        {"country": "TH", "region": "APAC", "is_growth": "on", "point_multiplier": "2"},
    )

    assert response.status_code == 302
    event = Event.objects.get(kind="market.updated")
    assert (event.actor, sorted(event.data["changes"])) == (
        victor, ["is_growth", "point_multiplier", "region"],
    )  # fmt: skip


def test_the_program_admin_corrects_a_rate_and_the_audit_log_records_it(client, victor):
    rate = ExchangeRate.objects.create(currency=currency("EUR"), valid_from=DAY, usd_per_unit=1)

    response = send(client, victor, "patch", f"{RATES}/{rate.pk}", usd_per_unit="1.0825")

    assert response.status_code == 200
    assert response.json()["usd_per_unit"] == "1.0825000000"
    rate.refresh_from_db()
    assert rate.usd_per_unit == Decimal("1.0825")
    event = Event.objects.get(kind="exchange_rate.updated")
    assert (event.actor, event.data["changes"]) == (
        victor, {"usd_per_unit": ["1.0000000000", "1.0825000000"]},
    )  # fmt: skip


def test_a_rate_corrected_onto_a_taken_day_is_a_422_naming_the_day(client, victor):
    eur = currency("EUR")
    ExchangeRate.objects.create(currency=eur, valid_from=DAY, usd_per_unit=1)
    later = ExchangeRate.objects.create(
        currency=eur, valid_from=DAY + datetime.timedelta(days=1), usd_per_unit=2
    )

    response = send(client, victor, "patch", f"{RATES}/{later.pk}", valid_from=DAY.isoformat())

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["valid_from"]
    later.refresh_from_db()
    assert later.valid_from == DAY + datetime.timedelta(days=1)
    assert not Event.objects.filter(kind="exchange_rate.updated").exists()


def test_the_program_admin_removes_a_market_and_the_audit_log_records_it(client, victor, market):
    response = client.delete(f"{MARKETS}/{market.pk}", **bearer(client, victor))

    assert response.status_code == 204
    assert not Market.objects.filter(pk=market.pk).exists()
    event = Event.objects.get(kind="market.deleted")
    assert (event.actor, event.data["changes"]["country"]) == (victor, ["TH", None])


def test_only_the_program_admin_corrects_a_rate_or_removes_a_market(client, pam, alice, market):
    rate = ExchangeRate.objects.create(currency=currency("EUR"), valid_from=DAY, usd_per_unit=1)

    for user in (pam, alice):
        response = send(client, user, "patch", f"{RATES}/{rate.pk}", usd_per_unit="2")
        assert response.status_code == 403
        assert client.delete(f"{MARKETS}/{market.pk}", **bearer(client, user)).status_code == 403
    assert Market.objects.filter(pk=market.pk).exists()
    rate.refresh_from_db()
    assert rate.usd_per_unit == 1
