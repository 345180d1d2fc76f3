"""The vendor's customer directory, each partner's own records, and the commercial records.

Two layers (SPEC A3): the directory (`Customer`) is the vendor's and every partner may search
it; contacts and notes belong to one partner. The commercial records (A3b) are what every report
reads: one `Opportunity` table for every shared deal and referral, subscriptions with their MRR
history, usage snapshots and certifications.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from openprm.accounts.roles import Role
from openprm.accounts.scoping import OrganizationScopedManager
from openprm.core.formatting import country_name
from openprm.core.models import TimestampedModel, VersionedModel
from openprm.core.money import from_minor
from openprm.core.search import fold

currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code."))
duns_number = RegexValidator(r"^[0-9]{9}$", _("A DUNS number has exactly 9 digits."))


class Currency(models.Model):
    """A currency the program accepts, with its "equivalent of US$100" for points (SPEC E12)."""

    code = models.CharField(_("code"), max_length=3, primary_key=True, validators=[currency_code])
    name = models.CharField(_("name"), max_length=80)
    usd100_equivalent = models.DecimalField(
        _("equivalent of US$100"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("How much of this currency counts as US$100 for points."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("currencies")

    def __str__(self) -> str:
        return self.code


class ExchangeRate(models.Model):
    """Dated rates for money (reports in one currency); points use the US$100 table instead."""

    currency = models.ForeignKey(Currency, on_delete=models.CASCADE, related_name="rates")
    valid_from = models.DateField(_("valid from"))
    usd_per_unit = models.DecimalField(_("US$ per unit"), max_digits=20, decimal_places=10)

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="one_rate_per_day"),
            models.CheckConstraint(condition=Q(usd_per_unit__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency_id} {self.valid_from}: {self.usd_per_unit}"


class MarketType(models.TextChoices):
    GROWTH = "growth", _("Growth market")
    STANDARD = "standard", _("Standard market")


class Market(models.Model):
    """A customer country and whether it is a growth market (points multiply there)."""

    country = CountryField(_("country"), unique=True)
    region = models.CharField(_("region"), max_length=80, blank=True)
    is_growth = models.BooleanField(_("growth market"), default=False)
    point_multiplier = models.DecimalField(
        _("point multiplier"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["country"]

    def __str__(self) -> str:
        country = country_name(str(self.country))
        if self.is_growth:
            # Translators: a growth market in a select, e.g. "Thailand (growth)".
            return gettext("%(country)s (growth)") % {"country": country}
        return country

    @property
    def market_type(self) -> str:
        return MarketType.GROWTH if self.is_growth else MarketType.STANDARD


class Product(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(VersionedModel):
    """One customer entity in the vendor's directory; it carries no partner relationships."""

    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    domain = models.CharField(_("domain"), max_length=200, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = CountryField(_("country"))
    duns = models.CharField(_("DUNS number"), max_length=9, blank=True, validators=[duns_number])
    market_type = models.CharField(
        _("market type"), max_length=20, choices=MarketType.choices, default=MarketType.STANDARD
    )
    currency = models.ForeignKey(
        Currency, verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    vendor_crm_id = models.CharField(_("Vendor CRM ID"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["duns"], condition=~Q(duns=""), name="customer_duns_unique"
            ),
            models.UniqueConstraint(
                fields=["vendor_crm_id"],
                condition=~Q(vendor_crm_id=""),
                name="customer_vendor_crm_id_once",
            ),
            models.CheckConstraint(
                condition=Q(duns="") | Q(duns__regex=r"^[0-9]{9}$"),
                name="customer_duns_nine_digits",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "search_name"]),
            # Background jobs find what changed since their last run (points: the ledger).
            models.Index(fields=["updated_at"], name="customer_changed"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_search_name()
        super().save(*args, **kwargs)

    def fill_search_name(self) -> None:
        """What the directory's search compares; `save` fills it, a bulk write calls this."""
        self.search_name = fold(self.name)


# D9: the vendor's and the partner's CRM ids a record carries, "" when it has none.
EXTERNAL_ID_FIELDS = ("vendor_crm_id", "partner_crm_id")


# What an erasure blanks (the search text follows from them); the name keeps a placeholder,
# stored untranslated, so the required field stays valid and lists still show a row.
CONTACT_PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "job_title")
ERASED_CONTACT_NAME = "Erased contact"


def contact_holds_personal_data() -> Q:
    """The rows (current or history copies) an erasure still has to blank."""
    return ~Q(first_name=ERASED_CONTACT_NAME) | ~Q(
        **{field: "" for field in CONTACT_PERSONAL_FIELDS if field != "first_name"}
    )


def external_ids_once(
    prefix: str, fields: tuple[str, ...] = EXTERNAL_ID_FIELDS
) -> list[models.BaseConstraint]:
    """D9: each side's CRM id names one record of a kind per partner organization."""
    return [
        models.UniqueConstraint(
            fields=["organization", field],
            condition=~Q(**{field: ""}),
            name=f"{prefix}_{field}_once",
        )
        for field in fields
    ]


class Contact(VersionedModel):
    """A partner's own contact at a customer; never visible to another partner."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="contacts"
    )
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    vendor_crm_id = models.CharField(_("Vendor CRM ID"), max_length=100, blank=True)
    partner_crm_id = models.CharField(_("Partner CRM ID"), max_length=100, blank=True)
    history = HistoricalRecords()

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["organization", "search_name"])]
        constraints = external_ids_once("contact")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.erased_at is not None and not self.holds_personal_data:
            return gettext("Erased contact")
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def holds_personal_data(self) -> bool:
        return self.first_name != ERASED_CONTACT_NAME or any(
            getattr(self, field) for field in CONTACT_PERSONAL_FIELDS if field != "first_name"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(f"{self.first_name} {self.last_name} {self.email}")
        super().save(*args, **kwargs)


class CustomerNote(TimestampedModel):
    """A partner's private note about a customer."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="customer_notes"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"))

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.body[:60]


class OpportunityKind(models.TextChoices):
    SHARED_DEAL = "shared_deal", _("Shared deal")
    CO_SELL = "co_sell", _("Co-sell referral")
    SOLUTION_ASSESSMENT = "solution_assessment", _("Solution assessment")


class Source(models.TextChoices):
    SOURCED = "sourced", _("Sourced")
    ASSISTED = "assisted", _("Assisted")


class OpportunityState(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class Opportunity(VersionedModel):
    """Every shared deal and referral, for one partner; goals, tiers and dashboards read here."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="opportunities",
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OpportunityKind.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    brought_by = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("brought by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organization that created it; the source follows from it."),
    )
    name = models.CharField(_("name"), max_length=200)
    amount_minor = models.BigIntegerField(_("amount"), default=0)
    mrr_minor = models.BigIntegerField(_("MRR"), default=0)
    currency = models.ForeignKey(
        Currency, verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=OpportunityState.choices, default=OpportunityState.OPEN
    )
    opened_at = models.DateTimeField(_("created"), db_index=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    products = models.ManyToManyField(Product, blank=True, related_name="+")
    history = HistoricalRecords(m2m_fields=[products])

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(
                fields=["organization", "opened_at", "source", "state"], name="opp_partner_opened"
            ),
            models.Index(
                fields=["organization", "closed_on", "source", "state"], name="opp_partner_closed"
            ),
            # Background jobs find what changed, or came due, since their last run.
            models.Index(fields=["updated_at"], name="opp_changed"),
            models.Index(fields=["closed_on"], name="opp_closed_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__gte=0), name="opp_amount_not_negative"
            ),
            models.CheckConstraint(condition=Q(mrr_minor__gte=0), name="opp_mrr_not_negative"),
            models.CheckConstraint(
                condition=Q(state="open", closed_on__isnull=True) | ~Q(state="open"),
                name="opp_open_has_no_close_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def amount(self) -> Decimal:
        return from_minor(self.amount_minor, self.currency_id)

    @property
    def mrr(self) -> Decimal:
        return from_minor(self.mrr_minor, self.currency_id)


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def for_user(self, user: Any) -> "SubscriptionQuerySet":
        """Partners see the subscriptions they manage; vendor staff as they see opportunities:
        the program admin all, a PDM those their partners manage, other vendor roles none."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.organization is None:
            return self.none()
        if user.role == Role.PROGRAM_ADMIN:
            return self.all()
        if user.role == Role.PDM:
            return self.filter(pk__in=self.filter(managing_partners__pdm=user).values("pk"))
        if user.is_vendor_staff:
            return self.none()
        return self.filter(pk__in=self.filter(managing_partners=user.organization).values("pk"))


class Subscription(TimestampedModel):
    """A customer's subscription to a product, imported from the vendor's billing system."""

    external_id = models.CharField(_("external id"), max_length=80, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="subscriptions")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    mrr_minor = models.BigIntegerField(_("current MRR"), default=0)
    started_on = models.DateField(_("start"))
    renewal_on = models.DateField(_("renewal date"), null=True, blank=True)
    ended_on = models.DateField(_("churned on"), null=True, blank=True)
    renewal_manager = models.CharField(_("renewal manager"), max_length=150, blank=True)
    managing_partners = models.ManyToManyField(
        "accounts.Organization", blank=True, related_name="managed_subscriptions"
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["customer", "product"]
        constraints = [
            models.CheckConstraint(condition=Q(mrr_minor__gte=0), name="sub_mrr_not_negative")
        ]
        # Background jobs find what changed, or came due, since their last run.
        indexes = [
            models.Index(fields=["updated_at"], name="sub_changed"),
            models.Index(fields=["started_on"], name="sub_started_on"),
            models.Index(fields=["ended_on"], name="sub_ended_on"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.product}"

    @property
    def mrr(self) -> Decimal:
        return from_minor(self.mrr_minor, self.currency_id)


class SubscriptionMrrChange(models.Model):
    """The MRR history of a subscription: one row from each effective date on."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="mrr_changes"
    )
    effective_on = models.DateField(_("effective on"))
    mrr_minor = models.BigIntegerField(_("MRR"))

    class Meta:
        ordering = ["subscription", "effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "effective_on"], name="one_mrr_change_per_day"
            ),
            models.CheckConstraint(condition=Q(mrr_minor__gte=0), name="mrr_change_not_negative"),
        ]
        indexes = [models.Index(fields=["effective_on"], name="mrr_change_effective_on")]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.effective_on}: {self.mrr_minor}"


class UsageSnapshot(models.Model):
    """Product usage of a customer on a day, from the vendor's product analytics."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="usage")
    taken_on = models.DateField(_("date"))
    active_users = models.PositiveIntegerField(_("active users"))
    last_active_user = models.CharField(_("last active user"), max_length=150, blank=True)
    last_active_at = models.DateTimeField(_("last active at"), null=True, blank=True)

    class Meta:
        ordering = ["customer", "-taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "taken_on"], name="one_snapshot_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.taken_on}: {self.active_users}"


class Certification(TimestampedModel):
    """A partner's program certification; no tier is credited without a valid one."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="certifications"
    )
    external_id = models.CharField(_("external id"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    holder = models.CharField(_("holder"), max_length=150, blank=True)
    certified_on = models.DateField(_("certified on"))
    valid_until = models.DateField(_("valid until"))

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["organization", "-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("certified_on")),
                name="certification_valid_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization_id})"


# Registered with the crm app; the module lives with the rest of the partner applications.
from openprm.crm.applications.models import PartnerApplication  # noqa: E402, F401
