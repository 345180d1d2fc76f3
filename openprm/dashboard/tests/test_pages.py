"""Partner > Dashboard as a page, upcoming renewals (E6), the "Vendor team" tab (E11), and the
vendor's channel dashboard with a partner's dashboard opened read-only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from openprm.accounts.models import Organization
from openprm.core.testing import assert_not_found
from openprm.crm.tests.factories import CustomerFactory, UsageSnapshotFactory
from openprm.dashboard import figures, renewals
from openprm.points.ledger import services as ledger_services
from openprm.points.tests.factories import CertificationFactory
from openprm.points.tests.records import subscription, won

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_dashboard_is_where_the_navigation_expects_it():
    assert reverse("dashboard:home") == "/dashboard/"


def test_a_partner_lands_on_the_dashboard(client, alice):
    client.force_login(alice)
    assert client.get("/")["Location"] == "/dashboard/"


def test_the_dashboard_shows_program_progress_and_the_sections(client, alice, northwind, today):
    CertificationFactory.create(organization=northwind)
    sale = won(northwind, D(2026, 11, 2), amount_minor=24_000_00, mrr_minor=2_000_00)
    ledger_services.sale_post(opportunity=sale)
    client.force_login(alice)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="total-points">100.00<' in page
    assert 'data-testid="sourced-revenue">$24,000.00<' in page
    assert 'data-testid="tier-performance">No tier<' in page  # 100 points: not yet Gold
    for heading in ("Program progress", "Tier progress", "Tier point changes", "Shared sales",
                    "Commissions", "Upcoming renewals", "Vendor team"):  # fmt: skip
        assert heading in page
    assert 'href="/dashboard/reports/new_sold/?start=2026-09-03&amp;end=2026-12-01"' in page


def test_the_target_tier_dropdown_changes_tier_progress(client, alice, today):
    client.force_login(alice)
    page = client.get("/dashboard/", {"tier": "Diamond"}).content.decode()
    assert '<option value="Diamond" selected>' in page
    assert "Progress towards Diamond" in page


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-11-30", "2026-11-01", "The date range ends before it starts."),
        ("1899-12-01", "1899-12-31", "Enter a date in 1900 or later."),
    ],
)
def test_a_bad_date_range_on_the_dashboard_is_a_422_saying_why(
    client, alice, today, start, end, message
):
    client.force_login(alice)
    response = client.get("/dashboard/", {"changes-start": start, "changes-end": end})
    assert response.status_code == 422
    assert message in response.content.decode()


def form_of(page: str, section_id: str) -> str:
    """The HTML of the first form after a section's heading."""
    start = page.index(section_id)
    start = page.index("<form", start)
    return page[start : page.index("</form>", start)]


def hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{name}" value="{value}">'


def test_each_dashboard_form_carries_the_other_forms_choices(client, alice, today):
    chosen = {
        "changes-start": "2026-10-01",
        "changes-end": "2026-10-31",
        "sales-start": "2026-06-01",
        "sales-end": "2026-11-30",
        "tier": "Diamond",
    }
    client.force_login(alice)
    response = client.get("/dashboard/", chosen)
    assert response.status_code == 200
    page = response.content.decode()
    changes = form_of(page, 'id="point-changes"')
    sales = form_of(page, 'id="shared-sales"')
    target = form_of(page, 'id="tier-progress"')
    # Each form shows its own choice...
    assert 'name="changes-start" value="2026-10-01"' in changes
    assert 'name="changes-end" value="2026-10-31"' in changes
    assert 'name="sales-start" value="2026-06-01"' in sales
    assert 'name="sales-end" value="2026-11-30"' in sales
    assert '<option value="Diamond" selected>' in target
    # ...and carries the others' as hidden inputs, so submitting it keeps them.
    for name in ("sales-start", "sales-end", "tier"):
        assert hidden(name, chosen[name]) in changes
    for name in ("changes-start", "changes-end", "tier"):
        assert hidden(name, chosen[name]) in sales
    for name in ("changes-start", "changes-end", "sales-start", "sales-end"):
        assert hidden(name, chosen[name]) in target
    # The figures' reports open over each section's own range.
    assert "/dashboard/reports/new_sold/?start=2026-10-01&amp;end=2026-10-31" in page
    assert "/dashboard/reports/closed_won/?start=2026-06-01&amp;end=2026-11-30" in page


def test_a_form_carries_nothing_the_other_forms_did_not_choose(client, alice, today):
    client.force_login(alice)
    page = client.get("/dashboard/", {"sales-start": "2026-06-01", "sales-end": "2026-11-30"})
    changes = form_of(page.content.decode(), 'id="point-changes"')
    assert hidden("sales-start", "2026-06-01") in changes
    assert 'type="hidden" name="tier"' not in changes
    assert 'type="hidden" name="changes-' not in changes


def test_the_vendor_team_tab_names_the_pdm_with_an_email_link(client, alice, northwind, pam):
    northwind.pdm_description = "Your guide to the program since 2021."
    northwind.save()
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    team = page[page.index('data-testid="vendor-team"') :]
    assert "Your guide to the program since 2021." in team
    assert 'href="mailto:pam@contoso.example"' in team


@pytest.fixture
def renewing(today, northwind, tailspin):
    acme = CustomerFactory.create(name="Acme")
    UsageSnapshotFactory.create(customer=acme, taken_on=D(2026, 10, 1), last_active_user="Old")
    UsageSnapshotFactory.create(customer=acme, taken_on=D(2026, 11, 1), last_active_user="Mai")
    subscription(acme, [(D(2025, 1, 20), 1_000_00), (D(2026, 6, 1), 1_250_00)],
                 partners=[northwind], renewal_on=D(2027, 1, 20),
                 renewal_manager="Ravi Rao")  # fmt: skip
    subscription(CustomerFactory.create(name="Later"), [(D(2025, 6, 1), 100_00)],
                 partners=[northwind], renewal_on=D(2027, 6, 1))  # fmt: skip
    subscription(CustomerFactory.create(name="Theirs"), [(D(2025, 6, 1), 100_00)],
                 partners=[tailspin], renewal_on=D(2026, 12, 20))  # fmt: skip
    return acme


def test_upcoming_renewals_are_the_next_90_days_of_managed_subscriptions(
    alice, northwind, renewing, today
):
    (renewal,) = renewals.upcoming_renewals(user=alice, partner=northwind, on=today)
    assert renewal.customer_name == "Acme"
    assert renewal.mrr_change == Decimal("250.00")
    assert renewal.last_active_user == "Mai"
    assert renewal.renewal_manager == "Ravi Rao"
    assert renewal.renewal_on == D(2027, 1, 20)


def test_a_renewals_customer_name_opens_its_record(client, alice, renewing, today):
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    assert f'<a href="/customers/{renewing.pk}/">Acme</a>' in page
    assert "+$250.00" in page


def test_the_dashboard_page_reads_a_bounded_number_of_queries(
    client, alice, northwind, renewing, today, django_assert_max_num_queries
):
    for day in range(1, 20):
        won(northwind, D(2026, 11, day), amount_minor=100_00, mrr_minor=10_00)
    client.force_login(alice)
    with django_assert_max_num_queries(45):
        assert client.get("/dashboard/").status_code == 200


def test_the_report_page_reads_a_bounded_number_of_queries(
    client, alice, northwind, today, django_assert_max_num_queries
):
    for day in range(1, 30):
        won(northwind, D(2026, 11, day), amount_minor=100_00, mrr_minor=10_00)
    client.force_login(alice)
    with django_assert_max_num_queries(15):
        response = client.get(
            "/dashboard/reports/closed_won/", {"start": "2026-11-01", "end": "2026-11-30"}
        )
    assert response.status_code == 200


def test_the_channel_dashboard_lists_every_partner_for_the_program_admin(
    client, victor, northwind, tailspin, today
):
    CertificationFactory.create(organization=northwind)
    ledger_services.sale_post(opportunity=won(northwind, D(2026, 11, 1), mrr_minor=4_000_00))
    client.force_login(victor)
    page = client.get("/dashboard/channel/", {"sort": "-trend"}).content.decode()
    assert page.index("Northwind Traders") < page.index("Tailspin Toys")
    assert "+200.00" in page
    assert ">Channel dashboard</a>" in page


def test_a_pdm_sees_only_their_partners_on_the_channel_dashboard(client, pam, northwind, tailspin):
    client.force_login(pam)
    page = client.get("/dashboard/channel/").content.decode()
    assert "Northwind Traders" in page
    assert "Tailspin Toys" not in page


def test_a_lapsing_certification_is_a_warning_on_the_channel_dashboard(
    client, victor, northwind, today
):
    CertificationFactory.create(organization=northwind, valid_until=D(2026, 12, 20))
    client.force_login(victor)
    page = client.get("/dashboard/channel/").content.decode()
    warnings = page[page.index('data-testid="channel-warnings"') :]
    assert warnings.startswith(
        'data-testid="channel-warnings"><span class="small">Certification lapses within 60 days'
    )
    assert "At risk</span>" not in page


def test_points_below_the_credited_tier_flag_the_partner_at_risk(client, victor, northwind, today):
    CertificationFactory.create(organization=northwind)
    Organization.objects.filter(pk=northwind.pk).update(tier="Gold")
    client.force_login(victor)
    page = client.get("/dashboard/channel/").content.decode()
    assert "Points below the credited tier" in page
    assert "Demotion due on Mar 1, 2027" in page  # below since today: a quarter's grace


def test_the_channel_dashboard_reads_a_bounded_number_of_queries(
    client, victor, northwind, tailspin, django_assert_max_num_queries
):
    client.force_login(victor)
    # 13, and the filter's markets and partner countries, and the page's count of partners.
    with django_assert_max_num_queries(16):
        assert client.get("/dashboard/channel/").status_code == 200


def test_a_pdm_opens_their_partners_dashboard_read_only(client, pam, northwind, today):
    client.force_login(pam)
    response = client.get(f"/dashboard/partners/{northwind.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="read-only"' in page
    assert "Save as report" not in page
    assert f"/dashboard/partners/{northwind.pk}/reports/new_sold/" in page


def test_a_pdm_cannot_open_another_pdms_partner(client, pam, tailspin):
    client.force_login(pam)
    assert_not_found(client.get(f"/dashboard/partners/{tailspin.pk}/"), tailspin.name)


def test_a_partner_cannot_open_the_vendor_view(client, alice, northwind, tailspin):
    client.force_login(alice)
    assert_not_found(client.get("/dashboard/channel/"), tailspin.name)
    assert_not_found(client.get(f"/dashboard/partners/{northwind.pk}/"), northwind.pdm.full_name)


@pytest.mark.parametrize("address", ["/dashboard/", "/api/v1/dashboard"])
def test_the_dashboard_sums_the_partners_ledger_for_its_tier_status_once(
    client, alice, today, monkeypatch, address
):
    """The tier status reads every entry of the partner's ledger; the program progress and the
    tier progress share one."""
    computed = []
    real = figures.tier_status_for

    def counted(**kwargs):
        computed.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(figures, "tier_status_for", counted)
    client.force_login(alice)
    assert client.get(address).status_code == 200
    assert len(computed) == 1


def reader(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_the_dashboard_writes_money_as_the_readers_language_does(client, alice, northwind, today):
    CertificationFactory.create(organization=northwind)
    sale = won(northwind, D(2026, 11, 2), amount_minor=24_000_00, mrr_minor=2_000_00)
    ledger_services.sale_post(opportunity=sale)
    client.force_login(reader(alice, "zh-hant"))
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="sourced-revenue">US$24,000.00<' in page


def test_the_dashboard_in_japanese_shows_days_in_the_japanese_style(client, alice, renewing, today):
    client.force_login(reader(alice, "ja"))
    page = client.get("/dashboard/").content.decode()
    assert "+$250.00" in page
    assert "2027/01/20" in page
