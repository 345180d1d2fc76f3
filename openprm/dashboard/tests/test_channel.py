"""The channel dashboard's at-risk flag is the tier evaluation's own pending demotion: for every
partner it agrees with the partner's tier status, and it costs the same few queries however
many partners the page lists."""

import datetime

import pytest

from openprm.accounts.models import Organization
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory, PartnerFactory
from openprm.core.errors import NotFound
from openprm.dashboard.channel import channel_rows
from openprm.points.tests.factories import certify, manage, sell
from openprm.points.tiers import services as tier_services
from openprm.points.tiers.selectors import tier_status_for

pytestmark = pytest.mark.django_db

D = datetime.date
STILL_VALID = D(2028, 1, 1)


def credit(partner: Organization, tier: str) -> Organization:
    """Set the credited tier directly, as an evaluation before the fixture's history would."""
    Organization.objects.filter(pk=partner.pk).update(tier=tier)
    partner.refresh_from_db()
    return partner


@pytest.fixture
def channel(today, northwind, tailspin):
    """Seven partners on 1 December 2026, one per case the tier status distinguishes."""
    # Gold from 1 October; its sold points expired 15 October, so the 1 November evaluation
    # found it below Gold: the grace period runs from 1 November to 1 February.
    certify(northwind, until=STILL_VALID)
    sell(northwind, mrr_minor=2000_00, closed_on=D(2025, 10, 15))
    manage(northwind, mrr_minor=8000_00, since=D(2025, 9, 1))
    for day in (D(2026, 10, 1), D(2026, 11, 1)):
        tier_services.tier_evaluate(partner=northwind, on=day)
    # Credited Gold, points for Platinum: a promotion is due, not a demotion.
    certify(tailspin, until=STILL_VALID)
    sell(tailspin, mrr_minor=5000_00, closed_on=D(2026, 11, 2))
    manage(tailspin, mrr_minor=20_000_00, since=D(2026, 9, 1))
    credit(tailspin, "Gold")
    # Credited Gold, but the certification lapsed on 15 November: the next evaluation
    # (1 January) removes the tier.
    lapsed = credit(PartnerFactory.create(name="Lapsed Ltd"), "Gold")
    certify(lapsed, until=D(2026, 11, 15))
    sell(lapsed, mrr_minor=2000_00, closed_on=D(2026, 11, 2))
    manage(lapsed, mrr_minor=8000_00, since=D(2026, 9, 1))
    # Credited Gold and still meets it, but the certification lapses on 20 December, before
    # the next evaluation (1 January), which removes the tier unless it is renewed.
    lapses_first = credit(PartnerFactory.create(name="Lapses First"), "Gold")
    certify(lapses_first, until=D(2026, 12, 20))
    sell(lapses_first, mrr_minor=2000_00, closed_on=D(2026, 11, 2))
    manage(lapses_first, mrr_minor=8000_00, since=D(2026, 9, 1))
    # Credited Gold and still meets it; the certification lapses within 60 days but after
    # the next evaluation: a warning, not at risk.
    lapsing = credit(PartnerFactory.create(name="Lapsing Inc"), "Gold")
    certify(lapsing, until=D(2027, 1, 20))
    sell(lapsing, mrr_minor=2000_00, closed_on=D(2026, 11, 2))
    manage(lapsing, mrr_minor=8000_00, since=D(2026, 9, 1))
    # Credited Gold, certified, no points and never evaluated: below since today.
    certify(credit(PartnerFactory.create(name="Empty Gold"), "Gold"), until=STILL_VALID)
    # No tier, nothing else.
    PartnerFactory.create(name="Newcomer")
    return {
        "northwind": northwind,
        "tailspin": tailspin,
        "lapsed": lapsed,
        "lapses_first": lapses_first,
        "lapsing": lapsing,
    }


def test_every_rows_at_risk_flag_and_due_date_are_the_tier_statuss(victor, channel, today):
    rows = channel_rows(user=victor, on=today)
    assert len(rows) == 7
    for row in rows:
        status = tier_status_for(partner=row.partner, on=today)
        assert (row.at_risk, row.demotion_due_on) == (status.at_risk, status.demotion_due_on), (
            row.partner.name
        )
    due = {row.partner.name: row.demotion_due_on for row in rows}
    assert due == {
        "Northwind Traders": D(2027, 2, 1),
        "Tailspin Toys": None,
        "Lapsed Ltd": D(2027, 1, 1),
        "Lapses First": D(2027, 1, 1),
        "Lapsing Inc": None,
        "Empty Gold": D(2027, 3, 1),
        "Newcomer": None,
    }


def test_a_lapsing_certification_is_a_warning_not_a_risk(victor, channel, today):
    rows = {row.partner.name: row for row in channel_rows(user=victor, on=today)}
    lapsing = rows["Lapsing Inc"]
    assert not lapsing.at_risk
    assert lapsing.warnings == ["Certification lapses within 60 days"]
    assert rows["Lapsed Ltd"].risk_reason == "No valid certification"
    lapses_first = rows["Lapses First"]
    assert lapses_first.risk_reason == "Certification lapses before the next evaluation"
    assert lapses_first.warnings == []
    assert rows["Northwind Traders"].risk_reason == "Points below the credited tier"


def test_points_expiring_below_the_tier_within_90_days_are_a_warning(victor, today):
    """Gold today on 100 sold points that expire on 15 January, and 80 managed."""
    expiring = credit(PartnerFactory.create(name="Expiring Co"), "Gold")
    certify(expiring, until=STILL_VALID)
    sell(expiring, mrr_minor=2000_00, closed_on=D(2026, 1, 15))
    manage(expiring, mrr_minor=8000_00, since=D(2026, 9, 1))
    (row,) = channel_rows(user=victor, on=today)
    assert (row.tier_performance, row.at_risk) == ("Gold", False)
    assert row.warnings == ["Expiring points drop it below its tier within 90 days"]


def test_sorting_by_risk_puts_the_soonest_demotion_first(victor, channel, today):
    rows = channel_rows(user=victor, on=today, sort="-risk")
    names = [row.partner.name for row in rows[:4]]
    assert names == ["Lapsed Ltd", "Lapses First", "Northwind Traders", "Empty Gold"]


def test_the_channel_page_shows_the_demotion_date_and_the_warnings(client, victor, channel):
    client.force_login(victor)
    page = client.get("/dashboard/channel/").content.decode()
    assert "Demotion due on Feb 1, 2027" in page
    assert "Demotion due on Jan 1, 2027" in page
    assert page.count('data-testid="demotion-due-on"') == 4
    assert "Certification lapses within 60 days" in page


def test_the_channel_rows_read_a_few_queries_however_many_partners(
    victor, channel, today, django_assert_max_num_queries
):
    for n in range(6):
        partner = credit(PartnerFactory.create(name=f"Extra {n}"), "Gold")
        certify(partner, until=STILL_VALID)
        tier_services.tier_evaluate(partner=partner, on=D(2026, 11, 1))
    # The requester's membership, the partners and their locations, the rules (two), the
    # points today and 90 days ago, the latest evaluations, the sold points expiring within
    # 90 days, the certifications.
    with django_assert_max_num_queries(10):
        rows = channel_rows(user=victor, on=today)
    assert len(rows) == 13


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.REVIEWER])
def test_vendor_staff_without_partners_to_develop_get_no_channel_rows(vendor, channel, today, role):
    staff = MembershipFactory.create(organization=vendor, role=role).user
    with pytest.raises(NotFound):
        channel_rows(user=staff, on=today)
