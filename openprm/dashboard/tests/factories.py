"""The exchange rate the dashboard's figures convert with; the crm records they read are built
with `openprm.points.tests.records`."""

import datetime

from openprm.crm.models import ExchangeRate
from openprm.crm.tests.factories import currency


def usd_rate(code: str, usd_per_unit: str, valid_from: datetime.date) -> None:
    ExchangeRate.objects.create(currency=currency(code), valid_from=valid_from,
                                usd_per_unit=usd_per_unit)  # fmt: skip
