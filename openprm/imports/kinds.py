"""What can be imported, by whom, with which columns, and which service writes the rows.

Customers and subscriptions go through the same services as the JSON imports of
/api/v1/customers/import and /api/v1/subscriptions/import (openprm.crm.imports), so a file and
an API call follow the same rules; contacts, shared deals and opportunities go row by row
through the services that create them one at a time (see `writers`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openprm.crm import imports as crm_imports
from openprm.imports import writers
from openprm.imports.models import ImportKind

VENDOR = "vendor"
PARTNER = "partner"
# Several values in one cell (a subscription's managing partners, a deal's products).
LIST_SEPARATOR = ";"

Runner = Callable[..., dict[str, int]]


@dataclass(frozen=True)
class Column:
    field: str
    label: Promise
    required: bool = False
    is_list: bool = False
    example: str = ""


@dataclass(frozen=True)
class Kind:
    value: str
    side: str
    columns: tuple[Column, ...]
    runner: Runner
    matched_by: Promise

    @property
    def label(self) -> str:
        return str(ImportKind(self.value).label)

    def column(self, field: str) -> Column:
        return next(column for column in self.columns if column.field == field)


CUSTOMER_REFERENCE = (
    Column("customer_duns", _("Customer DUNS number"), example="123456789"),
    Column("customer_domain", _("Customer domain"), example="contoso.example"),
)

KINDS: dict[str, Kind] = {
    kind.value: kind
    for kind in (
        Kind(
            ImportKind.CUSTOMERS,
            VENDOR,
            (
                Column("duns", _("DUNS number"), True, example="123456789"),
                Column("name", _("Name"), True, example="Contoso Ltd"),
                Column("country", _("Country"), True, example="US"),
                Column("currency", _("Currency"), True, example="USD"),
                Column("domain", _("Domain"), example="contoso.example"),
                Column("address", _("Address")),
                Column("city", _("City")),
                Column("postal_code", _("Postal code")),
            ),
            crm_imports.customers_import,
            _("DUNS number: a known one is updated."),
        ),
        Kind(
            ImportKind.SUBSCRIPTIONS,
            VENDOR,
            (
                Column("external_id", _("External id"), True, example="SUB-1001"),
                Column("customer_duns", _("Customer DUNS number"), True, example="123456789"),
                Column("product", _("Product code"), True, example="crm-pro"),
                Column("currency", _("Currency"), True, example="USD"),
                Column("mrr_minor", _("MRR in minor units"), True, example="120000"),
                Column("started_on", _("Start"), True, example="2026-01-31"),
                Column("mrr_effective_on", _("MRR effective on")),
                Column("renewal_on", _("Renewal date")),
                Column("ended_on", _("Churned on")),
                Column("renewal_manager", _("Renewal manager")),
                Column("managing_partners", _("Managing partners"), is_list=True),
            ),
            crm_imports.subscriptions_import,
            _("External id: a known one is updated."),
        ),
        Kind(
            ImportKind.OPPORTUNITIES,
            VENDOR,
            (
                Column("partner", _("Partner"), True, example="northwind"),
                *CUSTOMER_REFERENCE,
                Column("kind", _("Kind"), True, example="co_sell"),
                Column("name", _("Name"), True, example="Contoso CRM rollout"),
                Column("currency", _("Currency"), True, example="USD"),
                Column("amount", _("Amount"), example="12000.00"),
                Column("mrr", _("MRR"), example="1000.00"),
                Column("state", _("State"), example="open"),
                Column("closed_on", _("Closed")),
            ),
            writers.opportunities_import,
            _("Partner, customer and name: a known opportunity is left as it is."),
        ),
        Kind(
            ImportKind.CONTACTS,
            PARTNER,
            (
                Column("first_name", _("First name"), True, example="Aiko"),
                Column("last_name", _("Last name"), example="Tanaka"),
                Column("email", _("Email"), example="aiko@contoso.example"),
                Column("phone", _("Phone")),
                Column("job_title", _("Job title")),
                *CUSTOMER_REFERENCE,
            ),
            writers.contacts_import,
            _("Email: your contact with that email is updated."),
        ),
        Kind(
            ImportKind.DEALS,
            PARTNER,
            (
                Column("name", _("Deal name"), True, example="Contoso CRM rollout"),
                *CUSTOMER_REFERENCE,
                Column("contact_email", _("Contact email")),
                Column("currency", _("Currency"), True, example="USD"),
                Column("amount", _("Amount"), True, example="12000.00"),
                Column("mrr", _("MRR"), True, example="1000.00"),
                Column("close_date", _("Close date"), True, example="2026-06-30"),
                Column("products", _("Product codes"), True, is_list=True, example="crm-pro"),
                Column("introduction_note", _("Introduction note")),
                Column("pain", _("Specific pain/opportunity defined")),
                Column("next_steps", _("Next steps")),
            ),
            writers.deals_import,
            _("Customer and deal name: your open deal of that name is left as it is."),
        ),
    )
}


def kinds_for(user: Any) -> list[Kind]:
    """The program admin imports the vendor's records, a partner's members their own."""
    if getattr(user, "is_program_admin", False):
        return [kind for kind in KINDS.values() if kind.side == VENDOR]
    if getattr(user, "is_partner", False):
        return [kind for kind in KINDS.values() if kind.side == PARTNER]
    return []


def row_values(kind: Kind, mapping: dict[str, str], headers: list[str], cells: list[str]) -> dict:
    """One data row as the service's input: the mapped cells, trimmed; an empty cell is left
    out so the field's default applies."""
    values: dict[str, Any] = {}
    for field, header in mapping.items():
        position = headers.index(header)
        text = cells[position].strip() if position < len(cells) else ""
        if not text:
            continue
        column = kind.column(field)
        if column.is_list:
            values[field] = [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
        else:
            values[field] = text
    return values
