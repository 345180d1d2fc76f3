"""Program progress (E1), tier progress (E2), tier point changes (E3) and shared sales (E4),
each against a fixture computed by hand for 1 December 2026."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from openprm.accounts.models import Organization
from openprm.crm.models import OpportunityKind, OpportunityState, Source
from openprm.crm.tests.factories import CustomerFactory, OpportunityFactory, currency
from openprm.dashboard import figures
from openprm.dashboard.periods import Period
from openprm.dashboard.tests.factories import usd_rate
from openprm.points.ledger import services as ledger_services
from openprm.points.models import CauseKind
from openprm.points.tests.factories import CertificationFactory
from openprm.points.tests.records import subscription, won

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def northwind_book(today, northwind, tailspin):
    """Northwind, certified, with:
    - sourced sales won in the last 12 months: 24,000.00 USD (MRR 2,000.00) on 15 June and
      1,000.00 EUR (MRR 100.00) on 1 September at 1.10 US$/EUR: 25,100.00 USD, MRR 2,110.00;
    - left out: a sourced sale won on 1 December 2025 (exactly 12 months ago), an assisted
      sale, and Tailspin's sale;
    - ledger: 100 sold points (the June sale, 2,000 US$ MRR x 5 / 100) and 80 managed points
      (8,000 US$ MRR x 1 / 100): 180 points, Gold; Platinum needs 400, so 220 to go;
    - C$R: customers managed on 1 December 2025 (the ledger holds the histories of X's first
      subscription and Y's) are X (6,000.00 then, 8,000.00 now, plus a 1,000.00 product
      added in April) and Y (2,000.00 then, churned in May). Z started in February and W is
      Tailspin's. 9,000 / 8,000 = 112.5 %.
    """
    CertificationFactory.create(organization=northwind)
    usd_rate("EUR", "1.10", D(2026, 1, 1))
    june = won(northwind, D(2026, 6, 15), amount_minor=24_000_00, mrr_minor=2_000_00)
    won(northwind, D(2026, 9, 1), amount_minor=1_000_00, mrr_minor=100_00, code="EUR")
    won(northwind, D(2025, 12, 1), amount_minor=5_000_00, mrr_minor=400_00)
    won(northwind, D(2026, 10, 1), amount_minor=3_000_00, mrr_minor=250_00,
        source=Source.ASSISTED)  # fmt: skip
    won(tailspin, D(2026, 7, 1), amount_minor=99_999_00, mrr_minor=9_999_00)
    ledger_services.sale_post(opportunity=june)
    x, y, z, w = (CustomerFactory.create(name=n) for n in ("X", "Y", "Z", "W"))
    sx = subscription(x, [(D(2025, 6, 1), 6_000_00), (D(2026, 3, 1), 8_000_00)],
                      partners=[northwind])  # fmt: skip
    subscription(x, [(D(2026, 4, 1), 1_000_00)], partners=[northwind])
    sy = subscription(y, [(D(2025, 1, 1), 2_000_00), (D(2026, 5, 1), 0)], partners=[northwind],
                      ended_on=D(2026, 5, 1))  # fmt: skip
    subscription(z, [(D(2026, 2, 1), 5_000_00)], partners=[northwind])
    subscription(w, [(D(2024, 1, 1), 7_000_00)], partners=[tailspin])
    for managed in (sx, sy):
        ledger_services.subscription_catch_up(subscription=managed, after=None, on=today)
    return northwind


def test_program_progress_matches_the_hand_computed_figures(alice, northwind_book, today):
    progress = figures.program_progress(user=alice, partner=northwind_book, on=today)
    assert (progress.credited_tier, progress.tier_performance) == (None, "Gold")
    assert progress.total_points == Decimal("180.00")
    assert (progress.next_tier, progress.points_to_next_tier) == ("Platinum", Decimal("220.00"))
    assert progress.sourced_revenue.amount == Decimal("25100.00")
    assert progress.sourced_mrr.amount == Decimal("2110.00")
    assert progress.sourced_revenue.currency == "USD"
    assert progress.retention_percent == Decimal("112.5")


def test_the_credited_tier_is_the_one_the_evaluation_recorded(alice, northwind_book, today):
    Organization.objects.filter(pk=northwind_book.pk).update(tier="Platinum")
    northwind_book.refresh_from_db()
    progress = figures.program_progress(user=alice, partner=northwind_book, on=today)
    assert (progress.credited_tier, progress.tier_performance) == ("Platinum", "Gold")
    assert (progress.next_tier, progress.points_to_next_tier) == ("Diamond", Decimal("1070.00"))


def test_a_sale_without_an_exchange_rate_is_left_out_and_counted(alice, northwind, today):
    won(northwind, D(2026, 11, 1), amount_minor=500_00, mrr_minor=50_00, code="GBP")
    won(northwind, D(2026, 11, 2), amount_minor=700_00, mrr_minor=70_00)
    revenue, mrr = figures.sourced_sales(user=alice, partner=northwind, on=today)
    assert (revenue.amount, mrr.amount, revenue.unconverted) == (
        Decimal("700.00"), Decimal("70.00"), 1,
    )  # fmt: skip


def test_retention_is_none_without_customers_managed_a_year_ago(alice, northwind, today):
    subscription(CustomerFactory.create(), [(D(2026, 6, 1), 100_00)], partners=[northwind])
    assert figures.retention_percent(partner=northwind, on=today) is None


def test_retention_leaves_out_a_customer_the_partner_began_managing_since(
    northwind, tailspin, today
):
    """Tailspin's customer for two years, managed by Northwind too from June: not in
    Northwind's C$R."""
    old = subscription(CustomerFactory.create(), [(D(2024, 1, 1), 1_000_00)], partners=[tailspin])
    ledger_services.ledger_catch_up(on=D(2026, 5, 31))
    old.managing_partners.add(northwind)
    ledger_services.ledger_catch_up(on=D(2026, 6, 1))
    assert figures.retention_percent(partner=northwind, on=today) is None


def test_retention_keeps_a_customer_the_partner_has_stopped_managing(northwind, today):
    """Managed a year ago and handed over in June: still Northwind's customer for C$R."""
    kept = subscription(CustomerFactory.create(), [(D(2025, 1, 1), 1_000_00),
                                                   (D(2026, 3, 1), 1_500_00)],
                        partners=[northwind])  # fmt: skip
    ledger_services.ledger_catch_up(on=D(2026, 5, 31))
    kept.managing_partners.remove(northwind)
    ledger_services.ledger_catch_up(on=D(2026, 6, 1))
    assert figures.retention_percent(partner=northwind, on=today) == Decimal("150.0")


def test_retention_counts_all_of_a_managed_customers_subscriptions(northwind, tailspin, today):
    """A product the customer added with another partner is the customer's expansion too."""
    customer = CustomerFactory.create()
    managed = subscription(customer, [(D(2025, 1, 1), 1_000_00)], partners=[northwind])
    subscription(customer, [(D(2026, 6, 1), 500_00)], partners=[tailspin])
    ledger_services.subscription_catch_up(subscription=managed, after=None, on=today)
    assert figures.retention_percent(partner=northwind, on=today) == Decimal("150.0")


def test_tier_progress_defaults_to_the_next_tier(northwind_book, today):
    progress = figures.tier_progress(partner=northwind_book, on=today, target=None)
    assert progress.target == "Platinum"
    assert (progress.total.current, progress.total.required, progress.total.remaining) == (
        Decimal("180.00"), Decimal("400"), Decimal("220.00"),
    )  # fmt: skip
    assert (progress.sold.required, progress.sold.remaining) == (Decimal("80"), Decimal("0.00"))
    assert (progress.managed.required, progress.managed.remaining) == (
        Decimal("160"), Decimal("80.00"),
    )  # fmt: skip


def test_tier_progress_follows_the_tier_chosen_in_the_dropdown(northwind_book, today):
    progress = figures.tier_progress(partner=northwind_book, on=today, target="Elite")
    assert progress.target == "Elite"
    assert progress.total.remaining == Decimal("3320.00")
    assert progress.sold.remaining == Decimal("600.00")
    assert progress.managed.remaining == Decimal("1320.00")
    assert [name for name, _label in progress.tiers] == ["Gold", "Platinum", "Diamond", "Elite"]


def test_an_unknown_target_tier_falls_back_to_the_next_one(northwind_book, today):
    assert figures.tier_progress(partner=northwind_book, on=today, target="Tin").target == (
        "Platinum"
    )


def by_kind(section: list[figures.SectionFigure]) -> dict[str, tuple]:
    return {figure.kind: (figure.value, figure.customers) for figure in section}


def test_tier_point_changes_count_new_and_lost_points_in_the_range(alice, northwind_book, today):
    sub = subscription(CustomerFactory.create(), [(D(2026, 1, 1), 3_000_00)],
                       partners=[northwind_book])  # fmt: skip
    ledger_services.subscription_managed_sync(
        subscription=sub, on=D(2026, 11, 1), cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    sub.managing_partners.clear()
    ledger_services.subscription_managed_sync(
        subscription=sub, on=D(2026, 11, 20), cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    period = Period(D(2026, 11, 1), D(2026, 12, 1))
    changes = by_kind(figures.point_changes(user=alice, partner=northwind_book, period=period))
    assert changes["new_sold"] == (Decimal("0.00"), 0)  # the June sale is older
    assert changes["new_managed"] == (Decimal("30.00"), 1)  # X's 80 date from June 2025
    assert changes["lost_managed"] == (Decimal("30.00"), 1)
    assert changes["lost_sold"] == (Decimal("0.00"), 0)
    june = Period(D(2026, 6, 1), D(2026, 6, 30))
    assert by_kind(figures.point_changes(user=alice, partner=northwind_book, period=june))[
        "new_sold"
    ] == (Decimal("100.00"), 1)


def test_sold_points_are_lost_when_they_expire_in_the_range(alice, northwind_book, today):
    next_june = Period(D(2027, 6, 1), D(2027, 6, 30))
    changes = by_kind(figures.point_changes(user=alice, partner=northwind_book, period=next_june))
    assert changes["lost_sold"] == (Decimal("100.00"), 1)


def test_shared_sales_count_created_in_flight_and_won_deals(alice, northwind, tailspin, today):
    def opened(day: datetime.date, **fields):
        return OpportunityFactory.create(
            organization=fields.pop("partner", northwind),
            opened_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC),
            **fields,
        )

    opened(D(2026, 11, 3))  # a shared deal, sourced, open
    opened(D(2026, 11, 4), kind=OpportunityKind.CO_SELL)  # sourced, open, no shared deal
    opened(D(2026, 11, 5), source=Source.ASSISTED, state=OpportunityState.WON,
           closed_on=D(2026, 11, 20))  # fmt: skip
    opened(D(2026, 9, 1), state=OpportunityState.WON, closed_on=D(2026, 11, 21))
    opened(D(2026, 9, 2))  # opened before the range
    opened(D(2026, 11, 6), partner=tailspin)
    period = Period(D(2026, 11, 1), D(2026, 11, 30))
    sales = by_kind(figures.shared_sales(user=alice, partner=northwind, period=period))
    assert sales["vendor_deals_created"] == (2, 2)
    assert sales["sourced_in_flight"] == (2, 2)
    assert sales["closed_won"] == (2, 2)


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as error:
        Period(D(2026, 11, 30), D(2026, 11, 1))
    assert error.value.message_dict == {"end": ["The date range ends before it starts."]}


def test_the_customers_currency_counts_at_its_dated_rate(alice, northwind, today):
    usd_rate("JPY", "0.0070", D(2026, 1, 1))
    customer = CustomerFactory.create(currency=currency("JPY"))
    won(northwind, D(2026, 8, 1), amount_minor=1_000_000, mrr_minor=100_000, code="JPY",
        customer=customer)  # fmt: skip
    revenue, mrr = figures.sourced_sales(user=alice, partner=northwind, on=today)
    assert (revenue.amount, mrr.amount) == (Decimal("7000.00"), Decimal("700.00"))
