"""Partner > Tier with the credited tier, insights, progress, path and account performance;
the Points Breakdown tab and a customer's points."""

import datetime
import json

import pytest
from django.urls import reverse

from openprm.core.testing import assert_not_found
from openprm.crm.models import OpportunityKind, OpportunityState
from openprm.points.tests.factories import (
    CustomerFactory,
    WonOpportunityFactory,
    certify,
    manage,
    sell,
)
from openprm.points.tiers import services as tier_services

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 10)


@pytest.fixture(autouse=True)
def today(on_10_november):
    """Every test runs on 10 November 2026."""


def page(client, user, url="points:tier", *args, **query) -> str:
    client.force_login(user)
    response = client.get(reverse(url, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_credited_tier_beside_tier_performance(client, alice, gold):
    html = page(client, alice)
    assert 'data-testid="credited-tier">Gold<' in html
    assert 'data-testid="tier-performance">Gold<' in html
    assert 'data-testid="sourced-points">100.00<' in html
    assert 'data-testid="assisted-points">30.00<' in html
    assert 'data-testid="managed-points">200.00<' in html


def test_tier_insights_give_points_to_keep_the_tier_and_to_move_up(client, alice, gold):
    html = page(client, alice)
    assert 'data-testid="keep-total">0.00<' in html
    assert "Points to the next tier (Platinum)" in html
    assert 'data-testid="total-needed">70.00<' in html


def test_the_tier_history_lists_each_change(client, alice, gold):
    html = page(client, alice)
    assert "Promotion: the points meet a higher tier" in html
    assert "No tier changes yet." not in html


def test_the_progress_chart_draws_a_line_at_the_next_tiers_threshold(client, alice, gold):
    html = page(client, alice)
    marker = 'id="tier-progress-data" type="application/json">'
    start = html.index(marker) + len(marker)
    figure = json.loads(html[start : html.index("</script>", start)])
    threshold = next(t for t in figure["data"] if t["name"] == "Platinum threshold")
    assert set(threshold["y"]) == {400.0}
    added = next(t for t in figure["data"] if t["name"] == "Sold points added")
    assert added["y"][-2] == 30.0  # October 2026: the assisted sale
    assert "vendor/plotly/plotly.min.js" in html


def test_account_performance_shows_median_usage_of_managed_customers(client, alice, gold):
    html = page(client, alice)
    assert "12 active users (median of 1 managed customers)" in html
    assert 'data-testid="certification">Yes, until' in html


@pytest.mark.parametrize(("days", "css"), [(50, "alert-warning"), (10, "alert-danger")])
def test_a_certification_about_to_lapse_is_announced(client, alice, northwind, days, css):
    certify(northwind, until=TODAY + datetime.timedelta(days=days))
    html = page(client, alice)
    assert f'class="alert {css}" role="alert" data-testid="certification-alert"' in html
    assert f"lapses in {days} days" in html


def test_an_open_opportunity_that_would_lift_the_partner_is_marked(client, alice, gold):
    WonOpportunityFactory.create(
        organization=gold,
        name="Big one",
        mrr_minor=1600_00,
        state=OpportunityState.OPEN,
        closed_on=None,
    )
    html = page(client, alice)
    row = html[html.index("Big one") :]
    assert "80.00" in row[: row.index("</tr>")]
    assert "On its own" in row[: row.index("</tr>")]


def test_points_expiring_in_90_days_and_their_effect_are_shown(client, alice, gold):
    html = page(client, alice)
    assert 'data-testid="path-expiring"' in html
    assert "100.00 points expire; your credited tier stays covered." in html


def test_expiring_points_that_drop_the_credited_tier_are_a_warning(client, alice, northwind):
    certify(northwind, until=D(2027, 6, 30))
    sell(northwind, mrr_minor=3000_00, closed_on=D(2025, 12, 1))
    manage(northwind, mrr_minor=8000_00, since=D(2026, 1, 1))
    tier_services.tier_evaluate(partner=northwind, on=D(2026, 11, 1))
    html = page(client, alice)
    assert "drop below your credited tier (Gold)" in html
    assert "Tier performance after they expire: no tier." in html


def test_a_partner_below_its_credited_tier_sees_when_it_would_drop(client, alice, northwind):
    certify(northwind, until=D(2027, 6, 30))
    sell(northwind, mrr_minor=2000_00, closed_on=D(2025, 10, 15))
    manage(northwind, mrr_minor=8000_00, since=D(2025, 9, 1))
    tier_services.tier_evaluate(partner=northwind, on=D(2026, 10, 1))
    tier_services.tier_evaluate(partner=northwind, on=D(2026, 11, 1))
    html = page(client, alice)
    assert 'data-testid="tier-at-risk"' in html
    assert "the evaluation on Feb 1, 2027 lowers your credited tier" in html


def test_a_certification_lapsing_before_the_next_evaluation_puts_the_tier_at_risk(
    client, alice, northwind
):
    certify(northwind, until=D(2026, 11, 20))
    sell(northwind, mrr_minor=2000_00, closed_on=D(2026, 10, 15))
    manage(northwind, mrr_minor=8000_00, since=D(2026, 9, 1))
    tier_services.tier_evaluate(partner=northwind, on=D(2026, 11, 1))
    html = page(client, alice)
    assert 'data-testid="tier-at-risk"' in html
    assert (
        "Your certification lapses on Nov 20, 2026, before the evaluation on Dec 1, 2026, "
        "which removes your credited tier (Gold) unless it is renewed."
    ) in html


def test_the_calculator_panel_still_estimates_on_the_tier_page(client, alice, gold):
    html = page(client, alice, **{"calc-mrr": "100", "calc-source": "sourced",
                                  "calc-country": "US", "calc-currency": "USD",
                                  "calc-other_managing_partners": "0"})  # fmt: skip
    assert 'data-testid="estimate-total">5.00<' in html


def test_the_breakdown_lists_points_by_customer_with_expired_points(client, alice, northwind):
    old = CustomerFactory.create(name="Old Customer")
    sell(northwind, mrr_minor=2000_00, closed_on=D(2025, 6, 1), customer=old)
    sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 6, 1), customer=old)
    html = page(client, alice, "points:breakdown")
    row = html[html.index("Old Customer") :]
    row = row[: row.index("</tr>")]
    assert ">50.00<" in row  # active sold
    assert ">100.00<" in row  # expired sold
    assert reverse("points:customer", args=[old.pk]) in html


def test_the_breakdown_filters_by_deal_type_and_market_type(client, alice, northwind):
    growth = CustomerFactory.create(name="Growth Co", country="TH", market_type="growth")
    standard = CustomerFactory.create(name="Standard Co")
    sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 6, 1), customer=growth,
         kind=OpportunityKind.CO_SELL)  # fmt: skip
    sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 6, 1), customer=standard)
    by_market = page(client, alice, "points:breakdown", market_type="growth")
    assert "Growth Co" in by_market
    assert "Standard Co" not in by_market
    by_deal = page(client, alice, "points:breakdown", deal_type=OpportunityKind.SHARED_DEAL)
    assert "Standard Co" in by_deal
    assert "Growth Co" not in by_deal
    assert '<label class="form-label" for="id_deal_type">Deal type</label>' in by_deal
    assert '<label class="form-label" for="id_market_type">Market type</label>' in by_deal


def test_the_breakdown_tab_has_the_monthly_progress_chart(client, alice, gold):
    html = page(client, alice, "points:breakdown")
    assert 'id="progress-over-time-data"' in html
    assert "Points Breakdown" in html


def test_a_customers_detail_separates_active_and_expired_points(client, alice, northwind):
    customer = CustomerFactory.create(name="History Co")
    sell(northwind, mrr_minor=2000_00, closed_on=D(2025, 6, 1), customer=customer)
    sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 6, 1), customer=customer)
    manage(northwind, mrr_minor=5000_00, since=D(2026, 2, 1), customer=customer)
    html = page(client, alice, "points:customer", customer.pk)
    assert 'data-testid="active-sold">50.00<' in html
    assert 'data-testid="expired-sold">100.00<' in html
    assert 'data-testid="active-managed">50.00<' in html
    assert "Expired" in html
    assert "Management change" in html


def test_another_partners_customer_answers_404(client, alice, tailspin):
    customer = CustomerFactory.create()
    sell(tailspin, mrr_minor=1000_00, closed_on=D(2026, 6, 1), customer=customer)
    client.force_login(alice)
    response = client.get(reverse("points:customer", args=[customer.pk]))
    assert_not_found(response, customer.name)


def test_the_breakdown_reads_in_a_fixed_number_of_queries(
    client, alice, northwind, django_assert_max_num_queries
):
    for index in range(5):
        sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 6, index + 1))
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("points:breakdown")).status_code == 200


def test_a_customers_detail_reads_in_a_fixed_number_of_queries(
    client, alice, northwind, django_assert_max_num_queries
):
    customer = CustomerFactory.create()
    for index in range(5):
        sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 6, index + 1), customer=customer)
    client.force_login(alice)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("points:customer", args=[customer.pk])).status_code == 200
