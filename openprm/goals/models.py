"""Mutual Action Plans (SPEC B1-B3, B8): a yearly plan per partner, its monthly targets,
every change to a target as a row, and the quarterly reviews in which targets change.

Targets are integers: counts for the deal metrics, minor units of the plan's currency for MRR,
so sums agree to the cent on SQLite and PostgreSQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from openprm.accounts.scoping import OrganizationScopedManager, OrganizationScopedQuerySet
from openprm.core.models import VersionedModel

MONTHS = range(1, 13)
QUARTERS = range(1, 5)
# Far above any real target, far below the 64-bit column limit.
MAX_TARGET = 10**15


class Metric(models.TextChoices):
    SOURCED_CREATED = "sourced_created", _("Sourced deals created")
    SOURCED_WON = "sourced_won", _("Sourced deals closed won")
    SOURCED_MRR = "sourced_mrr", _("Sourced deal MRR")
    ASSISTED_MRR = "assisted_mrr", _("Assisted deal MRR")


MONEY_METRICS = frozenset({Metric.SOURCED_MRR, Metric.ASSISTED_MRR})


class GoalPlan(VersionedModel):
    """One partner's plan for one calendar year; `version` covers its goals and its targets.

    The currency is chosen when the plan is created (by default the one most of the partner's
    opportunities are in, else USD) and stays: MRR targets are minor units of it.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="goal_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    currency = models.ForeignKey(
        "crm.Currency", verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    organizational_goal = models.TextField(_("Organizational goal"), blank=True)
    revenue_goal = models.TextField(_("Revenue goal"), blank=True)
    people_goal = models.TextField(_("People goal"), blank=True)
    market_goal = models.TextField(_("Market goal"), blank=True)
    partnership_goal = models.TextField(_("Partnership goal"), blank=True)
    targets_set_at = models.DateTimeField(
        _("targets first saved"),
        null=True,
        blank=True,
        help_text=_("Until then every month is open; afterwards targets change in a review."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-year", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_plan_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="plan_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


GOAL_FIELDS = (
    "organizational_goal",
    "revenue_goal",
    "people_goal",
    "market_goal",
    "partnership_goal",
)


class PlanChildQuerySet(OrganizationScopedQuerySet):
    """Rows that belong to a plan are visible exactly where their plan is."""

    def for_user(self, user) -> "PlanChildQuerySet":
        return self.filter(plan__in=GoalPlan.objects.for_user(user))


PlanChildManager = models.Manager.from_queryset(PlanChildQuerySet)


class MonthlyTarget(models.Model):
    plan = models.ForeignKey(GoalPlan, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    month = models.PositiveSmallIntegerField(_("month"))
    value = models.BigIntegerField(_("target"))

    objects = PlanChildManager()

    class Meta:
        ordering = ["plan", "metric", "month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "metric", "month"], name="one_target_a_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="target_month"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.metric} {self.month}: {self.value}"


class QuarterlyReview(VersionedModel):
    """A quarter's review: performance at review time, notes, and the target changes made in it."""

    plan = models.ForeignKey(GoalPlan, on_delete=models.CASCADE, related_name="reviews")
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    strategy_notes = models.TextField(_("Strategy changes"), blank=True)
    focus_notes = models.TextField(_("Focus"), blank=True)
    snapshot = models.JSONField(_("performance at review time"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = PlanChildManager()

    class Meta:
        ordering = ["plan", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="one_review_a_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="review_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} Q{self.quarter}"


class TargetChange(models.Model):
    """Who changed which target, when, from what to what, and in which review (none: set-up)."""

    plan = models.ForeignKey(GoalPlan, on_delete=models.CASCADE, related_name="target_changes")
    review = models.ForeignKey(
        QuarterlyReview,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="target_changes",
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    month = models.PositiveSmallIntegerField(_("month"))
    old_value = models.BigIntegerField(_("old target"))
    new_value = models.BigIntegerField(_("new target"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    objects = PlanChildManager()

    class Meta:
        ordering = ["plan", "-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.metric} {self.month}: {self.old_value} -> {self.new_value}"

    @property
    def is_money(self) -> bool:
        return self.metric in MONEY_METRICS
