"""The channel dashboard as a list: filtered by partner name, credited tier, market and
country, sorted by its columns, 50 partners a page, in queries that do not grow with them; the
same filters on /api/v1/partners."""

import datetime

import pytest

from openprm.accounts.models import Organization
from openprm.accounts.tests.factories import PartnerFactory
from openprm.core.testing import assert_queries_do_not_grow
from openprm.crm.tests.factories import MarketFactory
from openprm.dashboard.channel import PAGE_SIZE
from openprm.points.ledger import services as ledger_services
from openprm.points.tests.factories import CertificationFactory
from openprm.points.tests.records import won

pytestmark = pytest.mark.django_db

URL = "/dashboard/channel/"


def partner(name: str, *, tier: str = "", country: str = "", market: str = "") -> Organization:
    created = PartnerFactory.create(name=name, country=country, market=market)
    Organization.objects.filter(pk=created.pk).update(tier=tier)
    return created


def earn(organization: Organization, mrr_minor: int) -> None:
    """Sold points from a sale won ten days before the fixture's today: the more MRR, the more."""
    CertificationFactory.create(organization=organization)
    ledger_services.sale_post(
        opportunity=won(organization, datetime.date(2026, 11, 20), mrr_minor=mrr_minor)
    )


def listed(client, **query) -> list[str]:
    """The partner names of the page's rows, in order."""
    html = client.get(URL, query).content.decode()
    rows = html.split('data-testid="channel-row"')[1:]
    return [row.split("</a>")[0].rsplit(">", 1)[1] for row in rows]


@pytest.fixture
def partners(today, northwind, tailspin):
    partner("Alpine Gold", tier="Gold", country="FR", market="FR")
    partner("Bangkok Platinum", tier="Platinum", country="TH", market="TH")
    partner("Kyoto Newcomer", country="JP", market="JP")


def test_the_name_search_finds_part_of_a_name_in_any_case(client, victor, partners):
    client.force_login(victor)
    assert listed(client, q="GOLD") == ["Alpine Gold"]


def test_the_tier_filter_lists_partners_of_that_credited_tier(client, victor, partners):
    client.force_login(victor)
    assert listed(client, tier="Platinum") == ["Bangkok Platinum"]


def test_the_tier_filter_finds_partners_without_a_tier(client, victor, partners):
    client.force_login(victor)
    assert listed(client, tier="-") == ["Kyoto Newcomer", "Northwind Traders", "Tailspin Toys"]


def test_the_market_filter_lists_the_partners_selling_there(client, victor, partners):
    MarketFactory.create(country="TH")
    client.force_login(victor)
    assert listed(client, market="TH") == ["Bangkok Platinum"]


def test_the_country_filter_lists_the_partners_based_there(client, victor, partners):
    client.force_login(victor)
    assert listed(client, country="JP") == ["Kyoto Newcomer"]


def test_the_filter_offers_the_partners_countries_by_name(client, victor, partners):
    client.force_login(victor)
    html = client.get(URL).content.decode()
    assert '<option value="TH">Thailand</option>' in html
    assert '<label class="form-label" for="id_sort">Sort by</label>' in html
    assert ">Filter</button>" in html


def test_a_tier_the_program_does_not_have_is_named_on_the_form(client, victor, partners):
    client.force_login(victor)
    response = client.get(URL, {"tier": "Bronze"})
    assert response.status_code == 200
    assert "Select a valid choice. Bronze is not one of the available choices." in (
        response.content.decode()
    )


def test_a_pdm_filters_only_their_own_partners(client, pam, partners):
    client.force_login(pam)
    assert listed(client, tier="-") == ["Northwind Traders"]


def test_sorting_by_name_descending_reverses_the_list(client, victor, partners):
    client.force_login(victor)
    assert listed(client, sort="-name", tier="-") == [
        "Tailspin Toys",
        "Northwind Traders",
        "Kyoto Newcomer",
    ]


def test_sorting_by_total_points_puts_the_most_first(client, victor, today, northwind, tailspin):
    earn(northwind, 1_000_00)
    earn(tailspin, 3_000_00)
    client.force_login(victor)
    assert listed(client, sort="-points") == ["Tailspin Toys", "Northwind Traders"]


def test_a_column_header_keeps_the_filter_when_it_sorts(client, victor, partners):
    client.force_login(victor)
    html = client.get(URL, {"tier": "-"}).content.decode()
    assert 'href="?tier=-&amp;sort=trend"' in html


def test_the_list_pages_with_previous_and_next(client, victor, today):
    for number in range(PAGE_SIZE + 1):
        partner(f"Partner {number:03}")
    client.force_login(victor)
    first = client.get(URL).content.decode()
    assert first.count('data-testid="channel-row"') == PAGE_SIZE
    assert "Page 1 of 2" in first
    assert ">Next</a>" in first
    assert f"{PAGE_SIZE + 1} partners" in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert second.count('data-testid="channel-row"') == 1
    assert ">Previous</a>" in second


def test_a_computed_sort_pages_over_every_partner(client, victor, today):
    """By trend the rows are sorted before the page is cut: the last page holds the least."""
    for number in range(PAGE_SIZE):
        partner(f"Partner {number:03}")
    gainer = partner("Zeta Gainer")
    earn(gainer, 2_000_00)
    client.force_login(victor)
    assert listed(client, sort="-trend")[0] == "Zeta Gainer"
    assert listed(client, sort="trend", page=2) == ["Zeta Gainer"]


def add_partners(count: int) -> None:
    for _number in range(count):
        name = f"Partner {Organization.objects.count()}"
        earn(partner(name, tier="Gold", country="FR"), 1_000_00)


@pytest.mark.parametrize("sort", ["name", "-risk"])
def test_the_page_costs_the_same_queries_for_three_or_nine_partners(client, victor, today, sort):
    client.force_login(victor)
    _few, many = assert_queries_do_not_grow(lambda: client.get(URL, {"sort": sort}), add_partners)
    assert many.content.decode().count('data-testid="channel-row"') == 9


def test_the_partners_api_filters_like_the_dashboard(client, victor, partners):
    client.force_login(victor)
    body = client.get("/api/v1/partners", {"tier": "Gold", "country": "fr"}).json()
    assert [item["name"] for item in body["items"]] == ["Alpine Gold"]


def test_the_partners_api_searches_names(client, victor, partners):
    client.force_login(victor)
    body = client.get("/api/v1/partners", {"q": "kyoto"}).json()
    assert [item["name"] for item in body["items"]] == ["Kyoto Newcomer"]


def test_the_partners_api_names_a_malformed_country(client, victor):
    client.force_login(victor)
    response = client.get("/api/v1/partners", {"country": "France"})
    assert response.status_code == 422
    assert "country" in response.content.decode()
