"""The commission program in the program settings (the Django admin), now under Points and tiers:
the program admin changes the rate, years and payment delay, and reads the statements."""

import datetime
from decimal import Decimal

import pytest

from openprm.core.testing import assert_not_found
from openprm.crm.tests.factories import currency
from openprm.points.models import CommissionProgram, CommissionStatement

pytestmark = pytest.mark.django_db

PROGRAM = "/admin/points/commissionprogram/"


def test_the_program_admin_changes_the_commission_program(client, victor):
    CommissionProgram.current()
    client.force_login(victor)
    assert "Commission program" in client.get(PROGRAM).content.decode()
    assert client.get(f"{PROGRAM}1/change/").status_code == 200
    response = client.post(
        f"{PROGRAM}1/change/", {"rate_percent": "15", "years": "2", "payment_delay_days": "60"}
    )
    assert response.status_code == 302, response.content
    program = CommissionProgram.current()
    assert (program.rate_percent, program.years, program.payment_delay_days) == (
        Decimal(15), 2, 60,
    )  # fmt: skip


def test_the_commission_program_is_no_longer_under_the_dashboard(client, victor):
    client.force_login(victor)
    assert_not_found(client.get("/admin/dashboard/commissionprogram/"), "Commission program")


def test_the_program_admin_reads_a_statement_but_cannot_change_it(client, victor, northwind):
    statement = CommissionStatement.objects.create(
        organization=northwind, quarter_start=datetime.date(2026, 1, 1),
        quarter_end=datetime.date(2026, 3, 31), currency=currency("USD"), rate_percent=20,
        revenue_minor=100_00, commission_minor=20_00, payable_on=datetime.date(2026, 7, 1),
    )  # fmt: skip
    client.force_login(victor)
    page = client.get(f"/admin/points/commissionstatement/{statement.pk}/change/")
    assert page.status_code == 200
    assert 'name="commission_minor"' not in page.content.decode()
    assert client.get("/admin/points/commissionstatement/add/").status_code == 403


def test_only_the_program_admin_reaches_the_commission_program(client, pam):
    client.force_login(pam)
    response = client.get(PROGRAM)
    assert response.status_code == 302
    assert response.url == f"/admin/login/?next={PROGRAM}"
