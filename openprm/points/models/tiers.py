"""The tier evaluations and the changes of the credited tier they made (SPEC E2, E12)."""

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openprm.accounts.scoping import OrganizationScopedQuerySet
from openprm.points.models.rulesets import ImmutableRow, RuleSet

TIER_LABELS = {
    "Gold": _("Gold"),
    "Platinum": _("Platinum"),
    "Diamond": _("Diamond"),
    "Elite": _("Elite"),
}


def tier_label(name: str) -> "str | Promise":
    """Tier names are configuration; the default ones are translated."""
    return TIER_LABELS.get(name, name)


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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRow("A tier change is history; the next evaluation records the next.")
        super().save(*args, **kwargs)

    @property
    def from_label(self) -> str:
        return str(tier_label(self.from_tier)) if self.from_tier else ""

    @property
    def to_label(self) -> str:
        return str(tier_label(self.to_tier)) if self.to_tier else ""
