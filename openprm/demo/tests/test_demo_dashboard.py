"""The demo's dashboard: commission statements paid and upcoming, renewals in the next 90
days, and Northwind's saved report and static list."""

from datetime import date, timedelta

import pytest

from openprm.crm.models import Subscription
from openprm.dashboard.models import CustomerList, SavedReport
from openprm.demo.generator import load
from openprm.points.models import CommissionStatement

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)


@pytest.fixture
def demo():
    load(scale=0.2, today=TODAY, say=lambda line: None)


def test_the_demo_has_paid_and_upcoming_commission_statements(demo):
    statements = CommissionStatement.objects.all()
    assert statements.filter(payable_on__lte=TODAY).exists()
    assert statements.filter(payable_on__gt=TODAY).exists()
    assert all(s.commission_minor == sum(line.commission_minor for line in s.lines.all())
               for s in statements)  # fmt: skip


def test_the_demo_has_renewals_in_the_next_90_days(demo):
    assert Subscription.objects.filter(
        ended_on__isnull=True,
        renewal_on__gte=TODAY,
        renewal_on__lte=TODAY + timedelta(days=90),
        managing_partners__slug="northwind-traders",
    ).exists()


def test_northwind_has_a_saved_report_on_its_dashboard_and_a_static_list(demo):
    assert SavedReport.objects.filter(organization__slug="northwind-traders",
                                      on_dashboard=True).exists()  # fmt: skip
    assert CustomerList.objects.filter(organization__slug="northwind-traders").exists()
