"""`manage.py demo`: the fixed logins work, the program looks like the spec's, reruns are safe,
and the same seed gives the same program."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from openprm.accounts.models import ApiToken, Location, Membership, Organization, User
from openprm.accounts.roles import OrganizationKind, Role
from openprm.accounts.tests.factories import VendorFactory
from openprm.crm.models import (
    Certification,
    Contact,
    Currency,
    Customer,
    CustomerNote,
    Market,
    MarketType,
    Opportunity,
    OpportunityState,
    Product,
    Source,
    Subscription,
    SubscriptionMrrChange,
    UsageSnapshot,
)
from openprm.demo import catalog
from openprm.demo.generator import FIXED_LOGINS, load

SMALL = "0.1"
TODAY = date(2026, 5, 20)


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def quiet_load(**kwargs) -> dict[str, int] | None:
    return load(say=lambda line: None, **kwargs)


def fingerprint() -> dict[str, list]:
    """The program's content without database ids or timestamps of the insert itself."""
    tables: dict[str, list] = {
        "users": list(User.objects.order_by("email").values_list("email", "full_name", "language")),
        "customers": list(
            Customer.objects.order_by("duns").values_list(
                "duns", "name", "domain", "address", "country", "currency", "market_type"
            )
        ),
        "contacts": list(
            Contact.objects.order_by("organization__slug", "email", "job_title").values_list(
                "organization__slug", "email", "first_name", "last_name", "job_title"
            )
        ),
        "opportunities": list(
            Opportunity.objects.order_by("opened_at", "organization__slug", "name").values_list(
                "organization__slug",
                "customer__duns",
                "kind",
                "source",
                "name",
                "amount_minor",
                "mrr_minor",
                "state",
                "opened_at",
                "closed_on",
                "created_by__email",
            )
        ),
        "subscriptions": list(
            Subscription.objects.order_by("external_id").values_list(
                "external_id",
                "customer__duns",
                "product__code",
                "mrr_minor",
                "started_on",
                "renewal_on",
                "ended_on",
                "renewal_manager",
            )
        ),
        "usage": list(
            UsageSnapshot.objects.order_by("customer__duns", "taken_on").values_list(
                "customer__duns", "taken_on", "active_users", "last_active_user"
            )
        ),
    }
    return {name: sorted(rows, key=str) for name, rows in tables.items()}


@pytest.mark.django_db
def test_every_fixed_login_signs_in_with_the_demo_password(client):
    run_demo("--scale", SMALL)
    for email in FIXED_LOGINS:
        response = client.post(
            "/api/v1/auth/tokens",
            {"email": email, "password": catalog.PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 201, email
        assert ApiToken.objects.get(pk=response.json()["id"]).user.email == email


@pytest.mark.django_db
def test_program_admin_can_open_the_django_admin(client):
    run_demo("--scale", SMALL)
    admin = User.objects.get(email="admin@openprm.example")
    assert admin.is_program_admin
    assert admin.is_staff
    assert admin.is_superuser
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_fixed_logins_have_their_roles_and_organizations():
    run_demo("--scale", SMALL)
    expected = {
        "admin@openprm.example": (catalog.VENDOR_NAME, Role.PROGRAM_ADMIN),
        "pdm@openprm.example": (catalog.VENDOR_NAME, Role.PDM),
        "rep@openprm.example": (catalog.VENDOR_NAME, Role.SALES_REP),
        "reviewer@openprm.example": (catalog.VENDOR_NAME, Role.REVIEWER),
        "admin@northwind.example": ("Northwind Traders", Role.PARTNER_ADMIN),
        "user@northwind.example": ("Northwind Traders", Role.PARTNER_USER),
        "admin@tailspin.example": ("Tailspin Toys", Role.PARTNER_ADMIN),
    }
    for email, (organization, role) in expected.items():
        user = User.objects.get(email=email)
        assert user.organization is not None
        assert (user.organization.name, user.role) == (organization, role), email


@pytest.mark.django_db
def test_pdm_login_is_the_pdm_of_northwind():
    run_demo("--scale", SMALL)
    northwind = Organization.objects.get(name="Northwind Traders")
    assert northwind.pdm is not None
    assert northwind.pdm.email == "pdm@openprm.example"
    assert northwind.pdm_description


@pytest.mark.django_db
def test_northwind_has_locations_and_a_partner_user_scoped_to_the_united_states():
    run_demo("--scale", SMALL)
    northwind = Organization.objects.get(name="Northwind Traders")
    assert set(northwind.locations.values_list("country", flat=True)) == {"US", "JP"}
    user = User.objects.get(email="user@northwind.example")
    assert user.scope_countries == ["US"]
    assert User.objects.get(email="admin@northwind.example").scope_countries is None


@pytest.mark.django_db
def test_users_have_the_language_and_timezone_of_where_they_work():
    run_demo("--scale", SMALL)
    tokyo = User.objects.get(email="haruka.sato@northwind.example")
    assert (tokyo.language, tokyo.timezone, tokyo.scope_countries) == ("ja", "Asia/Tokyo", ["JP"])
    admin = User.objects.get(email="admin@northwind.example")
    assert admin.language == "en"
    thai = Membership.objects.filter(organization__slug="tailspin-toys", countries=["TH"])
    assert {m.user.language for m in thai} == {"th"}


@pytest.mark.django_db
def test_all_demo_users_share_one_password_hash():
    run_demo("--scale", SMALL)
    assert User.objects.values("password").distinct().count() == 1


@pytest.mark.django_db
def test_sourced_opportunities_were_brought_by_the_partner_and_assisted_ones_by_others():
    run_demo("--scale", "0.3")
    opportunities = Opportunity.objects.select_related("brought_by")
    members = dict(Membership.objects.values_list("user_id", "organization_id"))
    bringers = {
        o.brought_by.kind for o in opportunities if o.source == Source.ASSISTED and o.brought_by
    }
    assert bringers == {OrganizationKind.VENDOR, OrganizationKind.PARTNER}
    for opportunity in opportunities:
        assert opportunity.created_by_id is not None
        assert members[opportunity.created_by_id] == opportunity.brought_by_id
        brought_by_itself = opportunity.brought_by_id == opportunity.organization_id
        assert (opportunity.source == Source.SOURCED) == brought_by_itself


@pytest.mark.django_db
def test_money_is_non_negative_integers_and_only_closed_deals_have_close_dates():
    run_demo("--scale", SMALL)
    opportunities = list(Opportunity.objects.all())
    assert opportunities
    for o in opportunities:
        assert isinstance(o.amount_minor, int)
        assert isinstance(o.mrr_minor, int)
        assert o.amount_minor >= 0
        assert o.mrr_minor >= 0
        assert o.currency_id == o.customer.currency_id
        if o.state == OpportunityState.OPEN:
            assert o.closed_on is None
        else:
            assert o.closed_on is not None
            assert o.closed_on >= o.opened_at.date()
        if o.state == OpportunityState.WON:
            assert o.mrr_minor > 0


@pytest.mark.django_db
def test_subscriptions_agree_with_their_mrr_history():
    run_demo("--scale", SMALL)
    subscriptions = Subscription.objects.prefetch_related("mrr_changes", "managing_partners")
    assert subscriptions.exists()
    for subscription in subscriptions:
        changes = list(subscription.mrr_changes.all())
        assert changes[0].effective_on == subscription.started_on
        assert changes[-1].mrr_minor == subscription.mrr_minor
        assert subscription.managing_partners.exists()
        if subscription.ended_on is not None:
            assert (subscription.mrr_minor, subscription.renewal_on) == (0, None)
        else:
            assert subscription.renewal_on is not None
            assert subscription.mrr_minor > 0


@pytest.mark.django_db
def test_customers_take_market_type_and_currency_from_their_country():
    run_demo("--scale", SMALL)
    growth = set(Market.objects.filter(is_growth=True).values_list("country", flat=True))
    for customer in Customer.objects.all():
        profile = catalog.COUNTRY[str(customer.country)]
        assert customer.currency_id == profile.currency
        is_growth = str(customer.country) in growth
        assert customer.market_type == (MarketType.GROWTH if is_growth else MarketType.STANDARD)


@pytest.mark.django_db
def test_rerun_without_reset_changes_nothing():
    run_demo("--scale", SMALL)
    before = fingerprint()
    output = run_demo("--scale", SMALL)
    assert "already loaded" in output
    assert fingerprint() == before


@pytest.mark.django_db
def test_reset_replaces_the_program_with_a_fresh_demo():
    run_demo("--scale", SMALL)
    Organization.objects.filter(slug="tailspin-toys").update(name="Renamed")
    User.objects.create_user("stranger@example.com", "x", full_name="Stranger")
    customers = Customer.objects.count()
    output = run_demo("--scale", SMALL, "--reset")
    assert "Demo data loaded" in output
    assert not User.objects.filter(email="stranger@example.com").exists()
    assert Organization.objects.filter(slug="tailspin-toys", name="Tailspin Toys").exists()
    assert Customer.objects.count() == customers
    assert Organization.objects.filter(kind=OrganizationKind.VENDOR).count() == 1


@pytest.mark.django_db
def test_reset_keeps_the_currencies_and_growth_markets_of_the_migrations():
    growth_markets = set(Market.objects.filter(is_growth=True).values_list("country", flat=True))
    currencies = set(Currency.objects.values_list("code", flat=True))
    run_demo("--scale", SMALL, "--reset")
    assert set(Market.objects.filter(is_growth=True).values_list("country", flat=True)) == (
        growth_markets
    )
    assert set(Currency.objects.values_list("code", flat=True)) == currencies


@pytest.mark.django_db
def test_another_vendors_program_is_left_alone():
    VendorFactory(name="Real Vendor Inc.")
    with pytest.raises(CommandError, match="Real Vendor Inc"):
        run_demo("--scale", SMALL)
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_scale_must_be_above_zero():
    with pytest.raises(CommandError, match="--scale"):
        run_demo("--scale", "0")


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_program():
    quiet_load(seed=7, scale=0.1, today=TODAY)
    first = fingerprint()
    quiet_load(seed=7, scale=0.1, today=TODAY, reset=True)
    assert fingerprint() == first


@pytest.mark.django_db
def test_another_seed_gives_another_program():
    quiet_load(seed=7, scale=0.1, today=TODAY)
    first = fingerprint()
    quiet_load(seed=8, scale=0.1, today=TODAY, reset=True)
    assert fingerprint()["opportunities"] != first["opportunities"]


@pytest.mark.django_db
def test_on_the_first_of_a_month_history_still_spans_24_months():
    quiet_load(scale=0.3, today=date(2026, 6, 1))
    opened = Opportunity.objects.values_list("opened_at", flat=True)
    assert len({moment.date().replace(day=1) for moment in opened}) == 24
    assert max(opened).date() < date(2026, 6, 1)


@pytest.mark.django_db
def test_history_is_counted_back_from_today():
    quiet_load(scale=0.1, today=TODAY)
    span = Opportunity.objects.aggregate(first=Min("opened_at"), last=Max("opened_at"))
    assert span["last"].date() < TODAY
    assert (TODAY - span["first"].date()).days > 600
    assert not Subscription.objects.filter(started_on__gt=TODAY).exists()
    assert not UsageSnapshot.objects.filter(taken_on__gt=TODAY).exists()


@pytest.mark.django_db
def test_opportunity_history_shows_who_opened_it_and_when_it_closed():
    quiet_load(scale=0.1, today=TODAY)
    for opportunity in Opportunity.objects.filter(state=OpportunityState.WON)[:10]:
        opened, closed = opportunity.history.order_by("history_date")
        assert (opened.history_type, opened.state) == ("+", OpportunityState.OPEN)
        assert opened.history_date == opportunity.opened_at
        assert opened.history_user_id == opportunity.created_by_id
        assert (closed.history_type, closed.state) == ("~", OpportunityState.WON)
        assert closed.history_date.date() == opportunity.closed_on


@pytest.mark.django_db
def test_customer_notes_are_dated_when_they_were_written():
    quiet_load(scale=0.3, today=TODAY)
    dates = set(CustomerNote.objects.values_list("created_at__date", flat=True))
    assert len(dates) > 1
    assert max(dates) < TODAY


@pytest.mark.slow
@pytest.mark.django_db
def test_scale_1_meets_the_programs_minimums():
    output = run_demo()
    assert "Demo data loaded" in output
    vendor_roles = dict(
        Membership.objects.filter(organization__kind=OrganizationKind.VENDOR)
        .values_list("role")
        .annotate(n=Count("id"))
    )
    assert vendor_roles == {
        Role.PROGRAM_ADMIN: 1, Role.PDM: 2, Role.SALES_REP: 4, Role.REVIEWER: 1
    }  # fmt: skip
    partners = Organization.objects.filter(kind=OrganizationKind.PARTNER)
    assert partners.count() >= 12
    assert Market.objects.filter(is_growth=True, country__in=partners.values("country")).exists()
    assert Market.objects.filter(is_growth=False, country__in=partners.values("country")).exists()
    for partner in partners.annotate(locations_count=Count("locations")):
        assert partner.locations_count >= 2, partner
        memberships = Membership.objects.filter(organization=partner)
        assert memberships.filter(role=Role.PARTNER_ADMIN).exists(), partner
        assert memberships.filter(role=Role.PARTNER_USER, global_scope=False).exists(), partner
        assert Contact.objects.filter(organization=partner).exists(), partner
        assert Opportunity.objects.filter(organization=partner).count() >= 50, partner
        assert Certification.objects.filter(organization=partner).exists(), partner
    assert Location.objects.values("country").distinct().count() >= 12

    customers = Customer.objects.all()
    assert customers.count() >= 500
    duns = list(customers.values_list("duns", flat=True))
    assert len(set(duns)) == len(duns)
    assert all(re.fullmatch(r"\d{9}", number) for number in duns)
    names = list(customers.values_list("name", flat=True))
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", n) for n in names)  # Japanese
    assert any(re.search(r"[\u0e00-\u0e7f]", n) for n in names)  # Thai
    assert customers.filter(market_type=MarketType.GROWTH).count() >= 100
    assert customers.filter(market_type=MarketType.STANDARD).count() >= 100

    assert 5 <= Product.objects.count() <= 8
    assert CustomerNote.objects.exists()
    kinds = set(Opportunity.objects.values_list("kind", flat=True))
    assert kinds == {"shared_deal", "co_sell", "solution_assessment"}
    states = dict(Opportunity.objects.values_list("state").annotate(n=Count("id")))
    assert all(states[state] >= 100 for state in OpportunityState.values)
    months = {
        o.date().replace(day=1) for o in Opportunity.objects.values_list("opened_at", flat=True)
    }
    assert len(months) >= 24
    assert Subscription.objects.filter(ended_on__isnull=False).exists()
    assert Subscription.objects.annotate(n=Count("managing_partners")).filter(n__gt=1).exists()
    assert SubscriptionMrrChange.objects.count() > Subscription.objects.count()
    assert UsageSnapshot.objects.count() >= 1000
    today = timezone.localdate()
    assert Certification.objects.filter(valid_until__lt=today).exists()
    assert Certification.objects.filter(valid_until__gte=today).exists()
