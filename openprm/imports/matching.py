"""Which directory customer a row names. Keys are tried in order and the first one given
decides; a key that matches no customer, or several, is an error on that column. Another key
(an external CRM id, say) is one more entry in CUSTOMER_KEYS."""

from collections.abc import Iterable
from typing import Any

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from openprm.core.errors import field_error
from openprm.crm.imports import chunks
from openprm.crm.models import Customer

# (the row's column, the customer's field), in the order they are tried.
CUSTOMER_KEYS = (("customer_duns", "duns"), ("customer_domain", "domain"))


def customers_by(field: str, values: set[str]) -> dict[str, list[Customer]]:
    found: dict[str, list[Customer]] = {}
    for chunk in chunks(values):
        matches = Customer.objects.annotate(key=Lower(field)).filter(key__in=chunk)
        for customer in matches:
            found.setdefault(getattr(customer, field).lower(), []).append(customer)
    return found


class CustomerMatcher:
    def __init__(self, rows: Iterable[Any]) -> None:
        rows = list(rows)
        self.index = {
            column: customers_by(field, {key(row, column) for row in rows} - {""})
            for column, field in CUSTOMER_KEYS
        }

    def find(self, row: Any, *, required: bool) -> Customer | None:
        for column, _field in CUSTOMER_KEYS:
            value = key(row, column)
            if not value:
                continue
            matches = self.index[column].get(value, [])
            if not matches:
                raise field_error(column, _("No customer in the directory has this."), "unknown")
            if len(matches) > 1:
                raise field_error(
                    column,
                    _("Several customers have this; give the DUNS number instead."),
                    "ambiguous",
                )
            return matches[0]
        if required:
            raise field_error(
                CUSTOMER_KEYS[0][0],
                _("Name the customer by its DUNS number or its domain."),
                "required",
            )
        return None


def key(row: Any, column: str) -> str:
    return str(getattr(row, column, "") or "").strip().lower()
