"""A file import: the uploaded file, how its columns map to a kind's fields, what its check
found and what its run wrote. Nothing of the file is written anywhere else until every row
passed the check, and then all of it is written in one transaction."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openprm.core.models import TimestampedModel


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    CONTACTS = "contacts", _("Contacts")
    DEALS = "deals", _("Shared deals")
    OPPORTUNITIES = "opportunities", _("Opportunities")
    SUBSCRIPTIONS = "subscriptions", _("Subscriptions")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Map the columns")
    CHECKING = "checking", _("Checking")
    INVALID = "invalid", _("Errors found")
    READY = "ready", _("Ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJob(TimestampedModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("what to import"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file"), max_length=200)
    file_format = models.CharField(_("file format"), max_length=4, choices=FileFormat.choices)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.MAPPING
    )
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The first problems of the check, each {"line", "column", "message"}.
    problems = models.JSONField(default=list)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    failure = models.TextField(_("why it failed"), blank=True)
    # How far the worker is, 0 to 100: read from `progress` by the selectors, not stored.
    percent = 0

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename
