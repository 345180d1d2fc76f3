"""Erasures: the record that a person's data was erased on request (GDPR art. 17), holding no
personal data itself: the email is kept only as a keyed hash, enough to tell a later request
for the same address that it was done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openprm.accounts.scoping import OrganizationScopedManager


class Erasure(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The organization whose admin handled the request."),
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("request reference"), max_length=500)
    subject_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    contacts = models.PositiveIntegerField(_("contacts"), default=0)
    contact_versions = models.PositiveIntegerField(_("contact history copies"), default=0)
    referrals = models.PositiveIntegerField(_("referrals"), default=0)
    referral_versions = models.PositiveIntegerField(_("referral history copies"), default=0)
    created_at = models.DateTimeField(_("erased at"), auto_now_add=True, db_index=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure {self.pk}"
