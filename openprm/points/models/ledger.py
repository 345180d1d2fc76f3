"""The append-only ledger of point entries (SPEC E12).

Totals are never stored: every figure is a sum over `PointEntry` rows, and an entry is written
once and never changed.
"""

from datetime import date
from decimal import Decimal
from typing import Any, Never

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openprm.accounts.scoping import OrganizationScopedQuerySet
from openprm.points.models.rulesets import ImmutableRow, RuleSet
from openprm.points.rules import from_hundredths


class Track(models.TextChoices):
    SOLD = "sold", _("Sold")
    MANAGED = "managed", _("Managed")


class CauseKind(models.TextChoices):
    SALE = "sale", _("Sale")
    SUBSCRIPTION_CHANGE = "subscription_change", _("Subscription change")
    CHURN = "churn", _("Churn")
    MANAGEMENT_CHANGE = "management_change", _("Management change")


def counts_on(day: date) -> Q:
    """Entries that count on `day`: started by then and not yet expired."""
    return Q(active_from__lte=day) & (Q(expires_on__isnull=True) | Q(expires_on__gt=day))


def expires_within(on: date, until: date) -> Q:
    """Sold entries that count on `on` and stop counting by `until`."""
    return Q(track=Track.SOLD, active_from__lte=on, expires_on__gt=on, expires_on__lte=until)


class PointEntryQuerySet(OrganizationScopedQuerySet):
    """Partners see their own entries, PDMs their partners', the program admin all."""

    def update(self, **kwargs: Any) -> Never:
        raise ImmutableRow("Ledger entries are append-only; post a correcting entry.")

    def delete(self) -> Never:
        raise ImmutableRow("Ledger entries are append-only; post a correcting entry.")

    def active_on(self, day: date) -> "PointEntryQuerySet":
        return self.filter(counts_on(day))


class PointEntry(models.Model):
    """One posting of points to a partner, traced to the event that caused it.

    Managed points change by further entries (a subscription change posts the difference, a
    churn posts the negative of what is left), never by editing an entry. A sold entry counts
    from `active_from` up to, not including, `expires_on`.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="point_entries",
    )
    customer = models.ForeignKey(
        "crm.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    track = models.CharField(_("track"), max_length=10, choices=Track.choices)
    points_hundredths = models.BigIntegerField(_("points (hundredths)"))
    cause_kind = models.CharField(_("cause"), max_length=30, choices=CauseKind.choices)
    opportunity = models.ForeignKey(
        "crm.Opportunity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subscription = models.ForeignKey(
        "crm.Subscription", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cause_on = models.DateField(_("cause date"))
    sequence = models.PositiveSmallIntegerField(default=1)
    active_from = models.DateField(_("active from"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    rule_version = models.ForeignKey(
        RuleSet, verbose_name=_("rule version"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PointEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-active_from", "-id"]
        verbose_name_plural = _("point entries")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "opportunity"],
                condition=Q(cause_kind="sale"),
                name="one_sale_entry_per_partner_opportunity",
            ),
            models.UniqueConstraint(
                fields=["organization", "subscription", "cause_kind", "cause_on", "sequence"],
                condition=Q(subscription__isnull=False),
                name="one_entry_per_partner_subscription_cause",
            ),
            models.CheckConstraint(
                condition=(
                    Q(cause_kind="sale", track="sold", opportunity__isnull=False)
                    | (
                        ~Q(cause_kind="sale")
                        & Q(track="managed", subscription__isnull=False, expires_on__isnull=True)
                    )
                ),
                name="entry_cause_matches_track",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("active_from")),
                name="entry_expires_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "track", "active_from", "expires_on", "points_hundredths"],
                name="entry_partner_track_active",
            ),
            models.Index(fields=["organization", "customer"], name="entry_partner_customer"),
            # The expiry warning looks up the sold points expiring in the next days by date.
            models.Index(
                fields=["expires_on", "organization"],
                condition=Q(track="sold"),
                name="entry_sold_expiry",
            ),
            # The program's whole ledger, latest first.
            models.Index(fields=["-active_from", "-id"], name="entry_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.track} {self.points} ({self.cause_reference})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRow("Ledger entries are append-only; post a correcting entry.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Never:
        raise ImmutableRow("Ledger entries are append-only; post a correcting entry.")

    @property
    def points(self) -> Decimal:
        return from_hundredths(self.points_hundredths)

    @property
    def cause_reference(self) -> str:
        if self.opportunity_id is not None:
            return f"opportunity:{self.opportunity_id}"
        suffix = f"#{self.sequence}" if self.sequence > 1 else ""
        return f"subscription:{self.subscription_id}@{self.cause_on.isoformat()}{suffix}"


class ExpiryWarning(models.Model):
    """The record that a partner was told its sold points expiring on one day are about to go.

    A batch is a partner's sold points that expire on the same day; the row is written with the
    notifications in one transaction, so each batch is announced once however often the sweep
    runs, and the sweep finds the batches already announced by this table's unique index.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    expires_on = models.DateField(_("expires on"))
    points_hundredths = models.BigIntegerField(_("points (hundredths)"))
    warned_at = models.DateTimeField(_("warned at"), auto_now_add=True)

    class Meta:
        ordering = ["-expires_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "expires_on"], name="one_expiry_warning_per_batch"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.points} expiring {self.expires_on}"

    @property
    def points(self) -> Decimal:
        return from_hundredths(self.points_hundredths)


class LedgerWatermark(models.Model):
    """How far the ledger has been brought level with crm's records, so the sweep looks only at
    what changed since (by indexed `updated_at` and date columns) instead of rereading every
    sale and subscription each minute. One row; none until the first complete run."""

    checked_at = models.DateTimeField()
    posted_through = models.DateField()
    # The newest rule version in force at that run: a newer one can price old records anew.
    rules_version = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.posted_through} ({self.checked_at:%Y-%m-%d %H:%M})"
