"""Mutual Action Plans (SPEC B1-B3, B8): a yearly plan per partner, its monthly targets,
every change to a target as a row, and the quarterly reviews in which targets change.

Targets are integers: counts for the deal metrics, minor units of the plan's currency for MRR,
so sums agree to the cent on SQLite and PostgreSQL.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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

    def for_user(self, user: Any) -> "PlanChildQuerySet":
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


# Action tasks (SPEC B6, B7)


class TaskType(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", pgettext_lazy("task type", "Email")
    TODO = "todo", pgettext_lazy("task type", "To-do")


class TaskPriority(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Reminder(models.TextChoices):
    """Offsets before the due time; `custom` keeps its own time when the due date moves."""

    NONE = "none", _("None")
    AT_DUE = "at_due", _("At due time")
    MINUTES_30 = "30m", _("30 minutes before")
    HOUR_1 = "1h", _("1 hour before")
    DAY_1 = "1d", _("1 day before")
    WEEK_1 = "1w", _("1 week before")
    CUSTOM = "custom", _("Custom date and time")


class TaskTemplate(models.Model):
    """One of the vendor's default tasks, offered under "Create task"; the program admin keeps
    the list in the program settings."""

    title = models.CharField(_("Task title"), max_length=200)
    task_type = models.CharField(
        _("Task type"), max_length=10, choices=TaskType.choices, default=TaskType.TODO
    )
    priority = models.CharField(
        _("Priority"), max_length=10, choices=TaskPriority.choices, default=TaskPriority.NONE
    )
    notes = models.TextField(_("Task notes"), blank=True)
    due_in_days = models.PositiveSmallIntegerField(_("due in days"), default=7)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("default task")
        verbose_name_plural = _("default tasks")

    def __str__(self) -> str:
        return self.title


class ActionTask(VersionedModel):
    """A task of a plan's "Go to market" section; times are stored in UTC.

    `remind_at` is derived from `due_at` and the `reminder` choice (or typed, for custom);
    `reminder_sent_at` is cleared whenever `remind_at` changes, so a moved reminder is sent
    again at its new time and an unmoved one never twice.
    """

    plan = models.ForeignKey(GoalPlan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("Task title"), max_length=200)
    done = models.BooleanField(_("Done"), default=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    task_type = models.CharField(
        _("Task type"), max_length=10, choices=TaskType.choices, default=TaskType.TODO
    )
    priority = models.CharField(
        _("Priority"), max_length=10, choices=TaskPriority.choices, default=TaskPriority.NONE
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Assignee"),
        on_delete=models.PROTECT,
        related_name="action_tasks",
    )
    due_at = models.DateTimeField(_("Due date"))
    reminder = models.CharField(
        _("Reminder"), max_length=10, choices=Reminder.choices, default=Reminder.NONE
    )
    remind_at = models.DateTimeField(_("reminder time"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    notes = models.TextField(_("Task notes"), blank=True)
    template = models.ForeignKey(
        TaskTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = PlanChildManager()

    class Meta:
        ordering = ["done", "due_at", "id"]
        indexes = [
            models.Index(
                fields=["remind_at"],
                name="task_reminder_due",
                condition=Q(done=False, reminder_sent_at__isnull=True, remind_at__isnull=False),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reminder="none", remind_at__isnull=True)
                | (~Q(reminder="none") & Q(remind_at__isnull=False)),
                name="task_reminder_time_matches_choice",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TaskProgressUpdate(models.Model):
    """A note on how a task is going; written any time or inside a quarterly review (B8)."""

    task = models.ForeignKey(ActionTask, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("Progress update"))
    review = models.ForeignKey(
        QuarterlyReview,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="task_updates",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.text[:40]}"
