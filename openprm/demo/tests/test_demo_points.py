"""The demo's ledger and tiers: partners in every tier, one about to move up, one in a grace
period below its tier, one whose expiring points put its tier at risk, certifications about to
lapse, and a clean verify."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from openprm.accounts.models import Organization
from openprm.crm.models import Certification
from openprm.demo.generator import load
from openprm.points.models import PointEntry, TierChange
from openprm.points.tiers.next_tier import tier_path
from openprm.points.tiers.selectors import certification_valid_until, tier_status_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def demo():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, tzinfo=datetime.UTC)):
        load(say=lambda line: None)
        yield


def test_the_demo_has_partners_in_every_tier_and_one_without(demo):
    tiers = set(Organization.objects.partners().values_list("tier", flat=True))
    assert tiers == {"", "Gold", "Platinum", "Diamond", "Elite"}
    assert TierChange.objects.filter(reason="promotion").exists()


def test_one_partner_is_about_to_move_up_and_one_is_at_risk(demo):
    paths = [tier_path(partner=p) for p in Organization.objects.partners()]
    assert any(
        row.lifts_alone or row.lifts_with_larger for path in paths for row in path.opportunities
    )
    assert any(path.drops_credited_tier for path in paths)


def test_one_partner_is_below_its_credited_tier_with_a_demotion_due(demo):
    below = [
        status
        for partner in Organization.objects.partners()
        if (status := tier_status_for(partner=partner, on=TODAY)).below_credited_since
    ]
    dates = [(s.below_credited_since, s.demotion_due_on) for s in below]
    assert (datetime.date(2026, 5, 1), datetime.date(2026, 8, 1)) in dates
    assert all(s.certified for s in below)


def test_the_ledger_holds_active_and_expired_points_and_verifies_clean(demo):
    assert PointEntry.objects.filter(expires_on__lte=TODAY).exists()
    assert PointEntry.objects.active_on(TODAY).exists()
    out = StringIO()
    call_command("points_verify", stdout=out)
    assert "The ledger matches the source records" in out.getvalue()


def test_certifications_about_to_lapse_fall_in_both_alert_windows(demo):
    days_left = sorted(
        (valid_until - TODAY).days
        for partner in Organization.objects.partners()
        if (valid_until := certification_valid_until(organization=partner, on=TODAY))
    )
    assert any(days <= 14 for days in days_left)
    assert any(14 < days <= 60 for days in days_left)
    assert Certification.objects.filter(valid_until__lt=TODAY).exists()
