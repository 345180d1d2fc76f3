"""Versioned point rules (SPEC E12): each version is written once and never changed, so the
ledger priced under it gives the same numbers every time."""

from datetime import date
from decimal import Decimal
from typing import Any, Never

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openprm.crm.models import Currency, Market
from openprm.points import defaults
from openprm.points.rules import Rules, TierRule


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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRow("A rule version never changes; publish a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Never:
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
