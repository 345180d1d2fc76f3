"""Imports from the vendor's billing and product systems: all rows or none.

Every row is checked first (shape, then the references it names) and every problem is reported
as `<row index>.<field>`; only a batch without a single problem is written, in one transaction.
"""

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import pydantic
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from ninja import Field, Schema

from openprm.accounts.models import Organization
from openprm.accounts.roles import OrganizationKind
from openprm.core.api import IsoDate, IsoDateTime, StrictSchema, row_message
from openprm.core.events import record_event
from openprm.crm.models import (
    Certification,
    Currency,
    Customer,
    Product,
    Subscription,
    SubscriptionMrrChange,
    UsageSnapshot,
)
from openprm.crm.services import market_types_for, require_program_admin

DUNS_PATTERN = r"^[0-9]{9}$"
MAX_ROWS = 5000
# SQLite refuses a query with more than 32766 parameters; lookups of a whole file go in chunks.
LOOKUP_CHUNK = 10000
# Rows of a large import written per round of bulk statements, and reported as progress.
WRITE_CHUNK = 1000
# What an import sets on a customer it already has.
CUSTOMER_WRITTEN_FIELDS = (
    "name", "search_name", "domain", "address", "city", "postal_code", "country",
    "market_type", "currency", "version", "updated_at",
)  # fmt: skip


def nine_digits(value: str) -> str:
    """The same words as the directory's own check, rather than pydantic's regex message."""
    if not re.fullmatch(DUNS_PATTERN, value):
        raise ValueError(_("A DUNS number has exactly 9 digits."))
    return value


Duns = Annotated[
    str,
    pydantic.AfterValidator(nine_digits),
    pydantic.WithJsonSchema({"type": "string", "pattern": DUNS_PATTERN}),
]


class CustomerRow(StrictSchema):
    duns: Duns
    name: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=2, max_length=2)
    currency: str = Field(min_length=3, max_length=3)
    domain: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    city: str = Field("", max_length=120)
    postal_code: str = Field("", max_length=20)


class SubscriptionRow(StrictSchema):
    external_id: str = Field(min_length=1, max_length=80)
    customer_duns: Duns
    product: str = Field(min_length=1, max_length=60, description="Product code.")
    currency: str = Field(min_length=3, max_length=3)
    mrr_minor: int = Field(ge=0, description="Current MRR in minor units (cents).")
    started_on: IsoDate
    mrr_effective_on: IsoDate | None = Field(
        None, description="When the MRR took effect; the start date for a new subscription."
    )
    renewal_on: IsoDate | None = None
    ended_on: IsoDate | None = Field(None, description="Churn date: MRR is 0 from then.")
    renewal_manager: str = Field("", max_length=150)
    managing_partners: list[str] = Field(default_factory=list, description="Partner slugs.")


class UsageRow(StrictSchema):
    customer_duns: Duns
    taken_on: IsoDate
    active_users: int = Field(ge=0)
    last_active_user: str = Field("", max_length=150)
    last_active_at: IsoDateTime | None = None


class CertificationRow(StrictSchema):
    external_id: str = Field(min_length=1, max_length=80)
    partner: str = Field(min_length=1, max_length=50, description="Partner slug.")
    name: str = Field(min_length=1, max_length=150)
    holder: str = Field("", max_length=150)
    certified_on: IsoDate
    valid_until: IsoDate


class ImportResult(Schema):
    created: int
    updated: int


Row = TypeVar("Row", bound=StrictSchema)


class RowErrors:
    """Collects `<index>.<field>` problems across the whole batch; `problems` keeps each one's
    row, field and plain message for a file import's preview."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}
        self.problems: list[tuple[int, str, str]] = []

    def add(self, index: int, field: str, message: str, code: str = "invalid") -> None:
        text = row_message(index, field, message)
        self.errors.setdefault(f"{index}.{field}", []).append(ValidationError(text, code=code))
        self.problems.append((index, field, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


@dataclass
class Batch:
    """How a batch runs. The API's defaults write at most MAX_ROWS rows; a file import
    (openprm.imports) takes more, checks without writing for its preview (`dry_run`), reads the
    problems from `errors` and hears of each written row through `progress`."""

    max_rows: int = MAX_ROWS
    dry_run: bool = False
    errors: RowErrors = dataclasses.field(default_factory=RowErrors)
    progress: Callable[[int], None] = lambda written: None


def parse_rows(
    rows: Iterable[Any], model: type[Row], errors: RowErrors, max_rows: int = MAX_ROWS
) -> list[Row | None]:
    parsed: list[Row | None] = []
    for index, row in enumerate(rows):
        data = row.model_dump() if isinstance(row, pydantic.BaseModel) else row
        try:
            parsed.append(model.model_validate(data))
        except pydantic.ValidationError as exc:
            parsed.append(None)
            for problem in exc.errors():
                field = ".".join(str(part) for part in problem["loc"]) or "row"
                errors.add(index, field, problem["msg"], problem["type"])
    if len(parsed) > max_rows:
        errors.add(max_rows, "row", _("At most %(max)s rows per import.") % {"max": max_rows})
    return parsed


def chunks(values: set[str]) -> Iterable[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        yield ordered[start : start + LOOKUP_CHUNK]


def customers_by_duns(values: set[str]) -> dict[str, Customer]:
    return {c.duns: c for chunk in chunks(values) for c in Customer.objects.filter(duns__in=chunk)}


def subscriptions_by_external_id(values: set[str]) -> dict[str, Subscription]:
    return {
        s.external_id: s
        for chunk in chunks(values)
        for s in Subscription.objects.filter(external_id__in=chunk)
    }


def currencies_by_code(values: set[str]) -> dict[str, Currency]:
    return {c.code: c for c in Currency.objects.filter(code__in={v.upper() for v in values})}


def partners_by_slug(values: set[str]) -> dict[str, Organization]:
    partners = Organization.objects.filter(kind=OrganizationKind.PARTNER, slug__in=values)
    return {p.slug: p for p in partners}


def check_unique(rows: list[Row | None], *keys: str, errors: RowErrors) -> None:
    """A row that repeats an earlier row's key is refused rather than silently overwriting it;
    the error names the key's last field."""
    seen: set[tuple] = set()
    for index, row in enumerate(rows):
        if row is None:
            continue
        value = tuple(getattr(row, key) for key in keys)
        if value in seen:
            errors.add(index, keys[-1], _("Appears twice in this import."), "duplicate")
        seen.add(value)


@transaction.atomic
def customers_import(
    *, rows: Iterable[Any], actor: Any, batch: Batch | None = None
) -> dict[str, int]:
    """Directory entries upserted by DUNS (the vendor's CRM is their source)."""
    require_program_admin(actor)
    batch = batch or Batch()
    errors = batch.errors
    parsed = parse_rows(rows, CustomerRow, errors, batch.max_rows)
    check_unique(parsed, "duns", errors=errors)
    currencies = currencies_by_code({r.currency for r in parsed if r})
    known_countries = dict(countries)
    for index, row in enumerate(parsed):
        if row is None:
            continue
        if row.country.upper() not in known_countries:
            errors.add(index, "country", _("Unknown country “%s”.") % row.country, "unknown")
        if row.currency.upper() not in currencies:
            errors.add(index, "currency", _("Unknown currency “%s”.") % row.currency, "unknown")
    errors.raise_if_any()
    existing = customers_by_duns({r.duns for r in parsed if r})
    if batch.dry_run:
        return would_write(len(parsed), len(existing))
    # errors.raise_if_any() has refused a file with a bad row, so every row is here.
    rows_checked = [row for row in parsed if row is not None]
    markets = market_types_for({row.country.upper() for row in rows_checked})
    written = 0
    for start in range(0, len(rows_checked), WRITE_CHUNK):
        chunk = rows_checked[start : start + WRITE_CHUNK]
        customers = [
            customer_filled(existing.get(row.duns), row, currencies, markets) for row in chunk
        ]
        customers_write(customers)
        written += len(chunk)
        batch.progress(written)
    updated = len(existing)
    record_import(actor, "customers", written - updated, updated)
    return {"created": written - updated, "updated": updated}


def customer_filled(
    customer: Customer | None,
    row: CustomerRow,
    currencies: dict[str, Currency],
    markets: dict[str, str],
) -> Customer:
    """The row's values on the customer of its DUNS number, or on a new one."""
    customer = customer or Customer(duns=row.duns)
    for field in ("name", "domain", "address", "city", "postal_code"):
        setattr(customer, field, getattr(row, field).strip())
    customer.country = row.country.upper()
    customer.market_type = markets[customer.country]
    customer.currency = currencies[row.currency.upper()]
    customer.fill_search_name()
    if customer.pk is not None:
        customer.bump_version()
        customer.updated_at = timezone.now()
    return customer


def customers_write(customers: list[Customer]) -> None:
    """One chunk of an import in a few statements instead of one save per customer, each with
    its history record as `save` would write it (the same user, from the request if any)."""
    new = [customer for customer in customers if customer.pk is None]
    known = [customer for customer in customers if customer.pk is not None]
    if new:
        Customer.history.bulk_history_create(
            Customer.objects.bulk_create(new), default_change_reason=None
        )
    if known:
        Customer.objects.bulk_update(known, CUSTOMER_WRITTEN_FIELDS)
        Customer.history.bulk_history_create(known, update=True, default_change_reason=None)


@dataclass
class SubscriptionReferences:
    """What a batch of subscription rows names, read once for the whole batch."""

    customers: dict[str, Customer]
    currencies: dict[str, Currency]
    products: dict[str, Product]
    partners: dict[str, Organization]

    @classmethod
    def of(cls, rows: list[SubscriptionRow]) -> "SubscriptionReferences":
        return cls(
            customers=customers_by_duns({r.customer_duns for r in rows}),
            currencies=currencies_by_code({r.currency for r in rows}),
            products={
                p.code: p for p in Product.objects.filter(code__in={r.product for r in rows})
            },
            partners=partners_by_slug({slug for r in rows for slug in r.managing_partners}),
        )

    def check(self, index: int, row: SubscriptionRow, errors: RowErrors) -> None:
        if row.customer_duns not in self.customers:
            errors.add(index, "customer_duns", _("Unknown customer."), "unknown")
        if row.currency.upper() not in self.currencies:
            errors.add(index, "currency", _("Unknown currency “%s”.") % row.currency, "unknown")
        if row.product not in self.products:
            errors.add(index, "product", _("Unknown product “%s”.") % row.product, "unknown")
        for slug in row.managing_partners:
            if slug not in self.partners:
                errors.add(index, "managing_partners", _("Unknown partner “%s”.") % slug, "unknown")


@transaction.atomic
def subscriptions_import(
    *,
    rows: Iterable[Any],
    actor: Any,
    today: datetime.date | None = None,
    batch: Batch | None = None,
) -> dict[str, int]:
    """Upsert by external id; an MRR change appends to the history; `ended_on` is churn."""
    require_program_admin(actor)
    batch = batch or Batch()
    errors = batch.errors
    parsed = parse_rows(rows, SubscriptionRow, errors, batch.max_rows)
    check_unique(parsed, "external_id", errors=errors)
    valid = [r for r in parsed if r]
    references = SubscriptionReferences.of(valid)
    for index, row in enumerate(parsed):
        if row is None:
            continue
        references.check(index, row, errors)
        if row.ended_on and row.ended_on < row.started_on:
            errors.add(index, "ended_on", _("Ends before it starts."), "invalid")
    errors.raise_if_any()
    existing = subscriptions_by_external_id({r.external_id for r in valid})
    if batch.dry_run:
        return would_write(len(valid), len(existing))
    today = today or datetime.date.today()
    created = updated = 0
    for row in valid:
        is_new = subscription_save(row, existing.get(row.external_id), references, today)
        created, updated = created + is_new, updated + (not is_new)
        batch.progress(created + updated)
    record_import(actor, "subscriptions", created, updated)
    return {"created": created, "updated": updated}


def subscription_save(
    row: SubscriptionRow,
    subscription: Subscription | None,
    references: SubscriptionReferences,
    today: datetime.date,
) -> bool:
    """Writes one checked row; True when the subscription is new."""
    subscription = subscription or Subscription(external_id=row.external_id)
    is_new = subscription.pk is None
    previous_mrr = None if is_new else subscription.mrr_minor
    subscription.customer = references.customers[row.customer_duns]
    subscription.product = references.products[row.product]
    subscription.currency = references.currencies[row.currency.upper()]
    subscription.started_on = row.started_on
    subscription.renewal_on = row.renewal_on
    subscription.ended_on = row.ended_on
    subscription.renewal_manager = row.renewal_manager.strip()
    subscription.mrr_minor = 0 if row.ended_on else row.mrr_minor
    subscription.save()
    subscription.managing_partners.set(
        [references.partners[slug] for slug in row.managing_partners]
    )
    if is_new:
        record_mrr(subscription, row.mrr_effective_on or row.started_on, row.mrr_minor)
    elif not row.ended_on and previous_mrr != row.mrr_minor:
        record_mrr(subscription, row.mrr_effective_on or today, row.mrr_minor)
    if row.ended_on and (is_new or previous_mrr != 0):
        record_mrr(subscription, row.ended_on, 0)
    return is_new


def record_mrr(subscription: Subscription, effective_on: datetime.date, mrr_minor: int) -> None:
    """One history row per day: a second change on the same day replaces the first."""
    SubscriptionMrrChange.objects.update_or_create(
        subscription=subscription, effective_on=effective_on, defaults={"mrr_minor": mrr_minor}
    )


@transaction.atomic
def usage_import(*, rows: Iterable[Any], actor: Any) -> dict[str, int]:
    """One snapshot per customer and day; a re-sent day replaces that day's figures."""
    require_program_admin(actor)
    errors = RowErrors()
    parsed = parse_rows(rows, UsageRow, errors)
    check_unique(parsed, "customer_duns", "taken_on", errors=errors)
    valid = [r for r in parsed if r]
    customers = customers_by_duns({r.customer_duns for r in valid})
    for index, row in enumerate(parsed):
        if row is not None and row.customer_duns not in customers:
            errors.add(index, "customer_duns", _("Unknown customer."), "unknown")
    errors.raise_if_any()
    created = updated = 0
    for row in valid:
        _snapshot, is_new = UsageSnapshot.objects.update_or_create(
            customer=customers[row.customer_duns],
            taken_on=row.taken_on,
            defaults={
                "active_users": row.active_users,
                "last_active_user": row.last_active_user.strip(),
                "last_active_at": row.last_active_at,
            },
        )
        created, updated = created + is_new, updated + (not is_new)
    record_import(actor, "usage", created, updated)
    return {"created": created, "updated": updated}


@transaction.atomic
def certifications_import(*, rows: Iterable[Any], actor: Any) -> dict[str, int]:
    require_program_admin(actor)
    errors = RowErrors()
    parsed = parse_rows(rows, CertificationRow, errors)
    check_unique(parsed, "external_id", errors=errors)
    valid = [r for r in parsed if r]
    partners = partners_by_slug({r.partner for r in valid})
    for index, row in enumerate(parsed):
        if row is None:
            continue
        if row.partner not in partners:
            errors.add(index, "partner", _("Unknown partner “%s”.") % row.partner, "unknown")
        if row.valid_until < row.certified_on:
            errors.add(index, "valid_until", _("Valid until is before certified on."), "invalid")
    errors.raise_if_any()
    created = updated = 0
    for row in valid:
        _certification, is_new = Certification.objects.update_or_create(
            external_id=row.external_id,
            defaults={
                "organization": partners[row.partner],
                "name": row.name.strip(),
                "holder": row.holder.strip(),
                "certified_on": row.certified_on,
                "valid_until": row.valid_until,
            },
        )
        created, updated = created + is_new, updated + (not is_new)
    record_import(actor, "certifications", created, updated)
    return {"created": created, "updated": updated}


def would_write(rows: int, existing: int) -> dict[str, int]:
    return {"created": rows - existing, "updated": existing}


def record_import(actor: Any, what: str, created: int, updated: int) -> None:
    vendor = actor.organization
    record_event(
        kind=f"import.{what}",
        obj=vendor,
        actor=actor,
        organization=None,
        data={"created": created, "updated": updated},
    )
