"""A commission statement as a CSV file: its heading, one row per line, and the total."""

import csv
from io import StringIO
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from openprm.core.money import from_minor
from openprm.core.spreadsheet import safe_row
from openprm.points.commissions.selectors import statement_lines
from openprm.points.models import CommissionStatement


def statement_csv_response(statement: CommissionStatement) -> HttpResponse:
    """The statement's CSV as a download: the same file from the dashboard and the API."""
    filename = f"commission-{statement.quarter_start.isoformat()}-{statement.currency_id}.csv"
    response = HttpResponse(statement_csv(statement), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def statement_csv(statement: CommissionStatement) -> bytes:
    currency = statement.currency_id
    out = StringIO()
    writer = csv.writer(out)

    def write(values: list[Any]) -> None:
        writer.writerow(safe_row(values))

    write([_("Partner"), statement.organization.name])
    write([_("Quarter"), statement.quarter_start.isoformat(),
                     statement.quarter_end.isoformat()])  # fmt: skip
    write([_("Currency"), currency])
    write([_("Commission rate (%)"), str(statement.rate_percent)])
    write([_("Payment date"), statement.payable_on.isoformat()])
    write([])
    write([_("Customer"), _("Customer ID"), _("Deal"), _("Sale date"),
                     _("Subscription"), _("Product"), _("Net recurring revenue"),
                     _("Commission")])  # fmt: skip
    for line in statement_lines(statement=statement):
        write([
            line.customer.name, line.customer_id, line.opportunity.name, line.sale_on.isoformat(),
            line.subscription.external_id, line.subscription.product.name,
            str(from_minor(line.revenue_minor, currency)),
            str(from_minor(line.commission_minor, currency)),
        ])  # fmt: skip
    write([_("Total"), "", "", "", "", "", str(statement.revenue),
                     str(statement.commission)])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")
