"""What the partner dashboard keeps: static customer lists, saved reports and exports (SPEC
E3-E5). Figures themselves are never stored: they are read from the ledger and the crm records
each time. The commission statements it shows are the points app's (`points.models`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openprm.accounts.scoping import OrganizationScopedManager
from openprm.core.models import TimestampedModel, VersionedModel


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
