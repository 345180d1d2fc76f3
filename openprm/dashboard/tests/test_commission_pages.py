"""The commissions on Partner > Dashboard (E13): past and upcoming payments, and each statement
downloaded as CSV, by the partner's own people only."""

import csv
import datetime
import io

import pytest

from openprm.points.commissions.services import statements_generate
from openprm.points.models import CommissionStatement

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_statement_downloads_as_csv_with_its_lines(client, alice, eligible_book, today):
    statements_generate(on=today)
    statement = CommissionStatement.objects.get(quarter_start=D(2026, 4, 1))
    client.force_login(alice)
    response = client.get(f"/dashboard/statements/{statement.pk}/download/")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Partner", "Northwind Traders"]
    line = next(row for row in rows if row and row[0] == "Acme")
    assert line[-2:] == ["4000.00", "800.00"]
    assert rows[-1][-2:] == ["4000.00", "800.00"]


def test_another_partners_statement_is_a_404(client, charlie, eligible_book, today):
    statements_generate(on=today)
    statement = CommissionStatement.objects.first()
    assert statement is not None
    client.force_login(charlie)
    assert client.get(f"/dashboard/statements/{statement.pk}/download/").status_code == 404


def test_the_dashboard_shows_past_and_upcoming_payments(client, alice, eligible_book, today):
    statements_generate(on=today)
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    past = page[page.index('data-testid="past-payments"') :]
    past = past[: past.index("</table>")]
    upcoming = page[page.index('data-testid="upcoming-payments"') :]
    upcoming = upcoming[: upcoming.index("</table>")]
    assert "$400.00" in past
    assert "$800.00" in past
    assert "$900.00" in upcoming
    assert "$600.00" in upcoming  # the current quarter so far
    assert upcoming.count("Download statement") == 1
