"""What the partner dashboard keeps: static customer lists, saved reports, exports, and the
commission program with its immutable quarterly statements (SPEC E3-E5, E13).

Figures themselves are never stored: they are read from the ledger and the crm records each
time. Statements are the exception, on purpose: a statement is what was paid, so it is written
once per partner, quarter and currency and never changed.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openprm.accounts.scoping import OrganizationScopedManager, OrganizationScopedQuerySet
from openprm.core.models import TimestampedModel, VersionedModel
from openprm.core.money import from_minor


class ReportKind(models.TextChoices):
    """The dashboard's reports: four tier point changes (E3) and three shared-sales ones (E4)."""

    NEW_SOLD = "new_sold", _("New sold points")
    LOST_SOLD = "lost_sold", _("Lost sold points")
    NEW_MANAGED = "new_managed", _("New managed points")
    LOST_MANAGED = "lost_managed", _("Lost managed points")
    VENDOR_DEALS_CREATED = "vendor_deals_created", _("Vendor deals created")
    SOURCED_IN_FLIGHT = "sourced_in_flight", _("Sourced in-flight deals")
    CLOSED_WON = "closed_won", _("Closed-won deals")


class CustomerList(VersionedModel):
    """A static list of customers a partner made from a report ("Use in list")."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="customer_lists"
    )
    name = models.CharField(_("list name"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customers = models.ManyToManyField(
        "crm.Customer", through="CustomerListMember", related_name="+"
    )

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="one_list_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class CustomerListMember(models.Model):
    customer_list = models.ForeignKey(
        CustomerList, on_delete=models.CASCADE, related_name="members"
    )
    customer = models.ForeignKey("crm.Customer", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["customer__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer_list", "customer"], name="customer_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_list_id}: {self.customer_id}"


class SavedReport(VersionedModel):
    """A report with its date range, saved from "Save as report"; reopened from the list."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="saved_reports"
    )
    name = models.CharField(_("report name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    kind = models.CharField(_("report"), max_length=30, choices=ReportKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    on_dashboard = models.BooleanField(_("shown on the dashboard"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="report_range")
        ]

    def __str__(self) -> str:
        return self.name


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Preparing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Export(TimestampedModel):
    """One "Export unsummarized data": the report's rows as a file, made at once when small and
    by the worker otherwise (the requester is then notified with the download link)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("export name"), max_length=100)
    file_format = models.CharField(_("file format"), max_length=4, choices=ExportFormat.choices)
    kind = models.CharField(_("report"), max_length=30, choices=ReportKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.file_format}"


class CommissionProgram(models.Model):
    """The revenue-share configuration of the program (one row; SPEC E13 defaults)."""

    rate_percent = models.DecimalField(
        _("commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    years = models.PositiveSmallIntegerField(
        _("years paid from the sale"), default=3, validators=[MinValueValidator(1)]
    )
    # 92 days: a quarter's commission is paid by the end of the following quarter.
    payment_delay_days = models.PositiveSmallIntegerField(
        _("days from the quarter's end to the payment"), default=92
    )

    class Meta:
        verbose_name = _("commission program")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_percent__gte=0, rate_percent__lte=100), name="commission_rate"
            )
        ]

    def __str__(self) -> str:
        return str(_("Commission program"))

    @classmethod
    def current(cls) -> "CommissionProgram":
        program, _created = cls.objects.get_or_create(pk=1)
        return program


class ImmutableStatement(Exception):
    """A commission statement records what was paid; it is never changed or removed."""


class CommissionStatementQuerySet(OrganizationScopedQuerySet):
    def update(self, **kwargs):
        raise ImmutableStatement("Commission statements never change.")

    def delete(self):
        raise ImmutableStatement("Commission statements are kept.")


class CommissionStatement(models.Model):
    """A partner's commission for one closed quarter in one currency, with its lines."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="commission_statements"
    )
    quarter_start = models.DateField(_("quarter from"))
    quarter_end = models.DateField(_("quarter to"))
    currency = models.ForeignKey("crm.Currency", on_delete=models.PROTECT, related_name="+")
    rate_percent = models.DecimalField(_("commission rate (%)"), max_digits=5, decimal_places=2)
    revenue_minor = models.BigIntegerField(_("net recurring revenue"))
    commission_minor = models.BigIntegerField(_("commission"))
    payable_on = models.DateField(_("payment date"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommissionStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-quarter_start", "currency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "quarter_start", "currency"],
                name="one_statement_per_partner_quarter_currency",
            ),
            models.CheckConstraint(
                condition=Q(commission_minor__gte=0, revenue_minor__gte=0),
                name="statement_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.quarter_start} {self.currency_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableStatement("Commission statements never change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableStatement("Commission statements are kept.")

    @property
    def commission(self) -> Decimal:
        return from_minor(self.commission_minor, self.currency_id)

    @property
    def revenue(self) -> Decimal:
        return from_minor(self.revenue_minor, self.currency_id)


class CommissionSettlement(models.Model):
    """A partner's closed quarter whose commission was worked out: its statements (one per
    currency, none when nothing was due) are written, so the sweep never computes it again."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="commission_settlements"
    )
    quarter_start = models.DateField(_("quarter from"))
    statements = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "quarter_start"],
                name="one_settlement_per_partner_quarter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.quarter_start}"


class CommissionLine(models.Model):
    """One subscription's revenue in the quarter and the commission it earned."""

    statement = models.ForeignKey(
        CommissionStatement, on_delete=models.PROTECT, related_name="lines"
    )
    opportunity = models.ForeignKey("crm.Opportunity", on_delete=models.PROTECT, related_name="+")
    subscription = models.ForeignKey("crm.Subscription", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("crm.Customer", on_delete=models.PROTECT, related_name="+")
    sale_on = models.DateField(_("sale date"))
    revenue_minor = models.BigIntegerField(_("net recurring revenue"))
    commission_minor = models.BigIntegerField(_("commission"))

    class Meta:
        ordering = ["statement", "customer__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "subscription"], name="one_line_per_statement_subscription"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.subscription_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableStatement("Commission statements never change.")
        super().save(*args, **kwargs)
