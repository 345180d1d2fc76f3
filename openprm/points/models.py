"""Versioned point rules and the append-only ledger of point entries (SPEC E12).

Totals are never stored: every figure is a sum over `PointEntry` rows. Entries and rule
versions are written once and never changed, so the ledger gives the same numbers every time.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openprm.accounts.scoping import OrganizationScopedQuerySet
from openprm.crm.models import Currency, Market
from openprm.points import defaults
from openprm.points.rules import Rules, TierRule, from_hundredths

TIER_LABELS = {
    "Gold": _("Gold"),
    "Platinum": _("Platinum"),
    "Diamond": _("Diamond"),
    "Elite": _("Elite"),
}


def tier_label(name: str):
    """Tier names are configuration; the default ones are translated."""
    return TIER_LABELS.get(name, name)


class ImmutableRow(Exception):
    """Rule versions and ledger entries are written once; a change is a new row."""


class RuleSetQuerySet(models.QuerySet["RuleSet"]):
    def ensure_first_version(self) -> None:
        """The program always has rules: a database emptied after its migrations ran (a flush
        between transactional tests, the demo's reset) gets the default version back."""
        if self.model.objects.exists():
            return
        try:
            with transaction.atomic():
                self.model(**defaults.first_version(Currency, Market)).save()
        except IntegrityError:
            pass  # another request wrote it first

    def effective_on(self, day: date) -> "RuleSet":
        """The rule version in force on `day`: the latest one that had taken effect by then."""
        self.ensure_first_version()
        ruleset = (
            self.filter(effective_from__lte=day).order_by("-effective_from", "-version").first()
        )
        if ruleset is None:
            raise RuleSet.DoesNotExist(f"No rule version is in effect on {day}.")
        return ruleset


class RuleSet(models.Model):
    """One immutable version of the points rules, with the currency and market tables it used.

    The "equivalent of US$100" table and the growth-market multipliers are copied in when the
    version is made, so a later edit of the currencies or markets cannot change history.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("reason for the change"), max_length=300, blank=True)
    sourced_rate = models.DecimalField(
        _("points per US$100 MRR, partner-sourced"), max_digits=8, decimal_places=2
    )
    assisted_rate = models.DecimalField(
        _("points per US$100 MRR, assisted"), max_digits=8, decimal_places=2
    )
    managed_rate = models.DecimalField(
        _("points per US$100 MRR, managed"), max_digits=8, decimal_places=2
    )
    usd100_equivalents = models.JSONField(_("equivalent of US$100 by currency"))
    market_multipliers = models.JSONField(_("point multiplier by growth-market country"))
    sold_life_months = models.PositiveSmallIntegerField(_("sold points last (months)"))
    tiers = models.JSONField(_("tiers, lowest first"))
    demotion_grace_months = models.PositiveSmallIntegerField(_("demotion grace period (months)"))
    evaluation_interval_months = models.PositiveSmallIntegerField(
        _("tier evaluation every (months)"), default=defaults.EVALUATION_INTERVAL_MONTHS
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sourced_rate__gte=0, assisted_rate__gte=0, managed_rate__gte=0),
                name="ruleset_rates_not_negative",
            ),
            models.CheckConstraint(condition=Q(sold_life_months__gt=0), name="ruleset_life"),
            models.CheckConstraint(
                condition=Q(evaluation_interval_months__gt=0), name="ruleset_evaluation_interval"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRow("A rule version never changes; publish a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRow("A rule version is kept for the entries that used it.")

    def to_rules(self) -> Rules:
        return Rules(
            version=self.version,
            sourced_rate=Decimal(self.sourced_rate),
            assisted_rate=Decimal(self.assisted_rate),
            managed_rate=Decimal(self.managed_rate),
            usd100_equivalents={k: Decimal(v) for k, v in self.usd100_equivalents.items()},
            market_multipliers={k: Decimal(v) for k, v in self.market_multipliers.items()},
            sold_life_months=self.sold_life_months,
            tiers=tuple(TierRule.from_config(t) for t in self.tiers),
            demotion_grace_months=self.demotion_grace_months,
            evaluation_interval_months=self.evaluation_interval_months,
        )


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

    def update(self, **kwargs):
        raise ImmutableRow("Ledger entries are append-only; post a correcting entry.")

    def delete(self):
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
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.track} {self.points} ({self.cause_reference})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRow("Ledger entries are append-only; post a correcting entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
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


class TierEvaluation(models.Model):
    """One scheduled look at a partner's points: what they earned and what it held after.

    One row per partner and evaluation day, so a repeated sweep finds the day done. The run of
    evaluations below the credited tier tells how long the partner has been short of it.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="tier_evaluations",
    )
    evaluated_on = models.DateField(_("evaluated on"))
    performance_tier = models.CharField(_("tier performance"), max_length=50, blank=True)
    credited_before = models.CharField(_("credited tier before"), max_length=50, blank=True)
    credited_after = models.CharField(_("credited tier after"), max_length=50, blank=True)
    sold_hundredths = models.BigIntegerField(_("sold points (hundredths)"))
    managed_hundredths = models.BigIntegerField(_("managed points (hundredths)"))
    certified = models.BooleanField(_("valid certification"))
    below_since = models.DateField(
        _("below the credited tier since"),
        null=True,
        blank=True,
        help_text=_("The first evaluation of the run below the tier held after this one."),
    )
    rule_version = models.ForeignKey(
        RuleSet, verbose_name=_("rule version"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-evaluated_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "evaluated_on"], name="one_tier_evaluation_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.evaluated_on}: {self.credited_after or '-'}"


class TierChangeReason(models.TextChoices):
    PROMOTION = "promotion", _("Promotion: the points meet a higher tier")
    DEMOTION = "demotion", _("Demotion: below the tier for the whole grace period")
    CERTIFICATION = "certification", _("No valid certification")


class TierChange(models.Model):
    """A change of the credited tier, written once, in the evaluation that made it."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="tier_changes",
    )
    from_tier = models.CharField(_("from"), max_length=50, blank=True)
    to_tier = models.CharField(_("to"), max_length=50, blank=True)
    changed_on = models.DateField(_("when"))
    reason = models.CharField(_("why"), max_length=20, choices=TierChangeReason.choices)
    evaluation = models.OneToOneField(
        TierEvaluation, on_delete=models.CASCADE, related_name="change"
    )
    rule_version = models.ForeignKey(
        RuleSet, verbose_name=_("rule version"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.from_tier or '-'} -> {self.to_tier or '-'}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRow("A tier change is history; the next evaluation records the next.")
        super().save(*args, **kwargs)

    @property
    def from_label(self) -> str:
        return str(tier_label(self.from_tier)) if self.from_tier else ""

    @property
    def to_label(self) -> str:
        return str(tier_label(self.to_tier)) if self.to_tier else ""
