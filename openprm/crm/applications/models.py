"""A company's application to join the partner program, and the program admin's decision on it."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from openprm.core.models import TimestampedModel
from openprm.core.search import fold


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PartnerApplication(TimestampedModel):
    """Written by someone without an account; approving it creates the partner organization
    and invites the contact as its admin, in the language they applied in."""

    company_name = models.CharField(_("company name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    message = models.TextField(_("message"), blank=True, max_length=4000)
    language = models.CharField(max_length=10)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    partner = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )

    class Meta:
        app_label = "crm"
        ordering = ["-created_at", "-id"]
        verbose_name = _("partner application")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="decided_application_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.company_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.company_name)
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return self.status == ApplicationStatus.PENDING
