"""`openprm demo --size`: the demo grown to a size for measuring."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from openprm.accounts.models import Organization, User
from openprm.accounts.roles import OrganizationKind
from openprm.crm.models import Opportunity
from openprm.demo.bulk.build import load_size
from openprm.demo.bulk.sizes import SIZES, shares, spread
from openprm.goals.models import ActionTask
from openprm.points.ledger.verify import ledger_differences
from openprm.points.models import PointEntry


def test_sizes_are_tenths_of_each_other():
    assert SIZES["large"].opportunities == 2_000_000
    assert SIZES["medium"].opportunities == 200_000
    assert SIZES["small"].partners == 20


def test_the_biggest_partner_holds_tens_of_thousands_of_the_large_opportunities():
    counts = spread(SIZES["large"].opportunities, shares(SIZES["large"].partners))
    assert sum(counts) == 2_000_000
    assert 20_000 <= counts[0] <= 60_000
    assert counts[-1] < counts[0] / 50


@pytest.mark.django_db
def test_a_real_program_is_refused_without_force():
    Organization.objects.create(name="Fabrikam", slug="fabrikam", kind=OrganizationKind.VENDOR)
    with pytest.raises(CommandError, match=r"real program \(Fabrikam\).*--force"):
        call_command("demo", "--size", "small", stdout=io.StringIO())
    assert Organization.objects.filter(slug="fabrikam").exists()


@pytest.mark.django_db
def test_small_size_reaches_its_totals_with_a_ledger_points_verify_accepts():
    counts = load_size(size="small", seed=7, say=lambda line: None, stream=io.StringIO())
    small = SIZES["small"]
    partners = Organization.objects.filter(kind=OrganizationKind.PARTNER)
    assert partners.count() == small.partners
    assert Opportunity.objects.count() == small.opportunities
    assert User.objects.count() == small.users
    assert ActionTask.objects.count() == small.tasks
    assert small.ledger_entries * 0.6 <= PointEntry.objects.count() == counts["ledger entries"]
    biggest = partners.annotate(n=Count("opportunities")).order_by("-n").first()
    assert biggest is not None
    assert biggest.slug == "northwind-traders"
    assert ledger_differences(timezone.localdate()) == []
