"""The credited tier as a pure function of one evaluation (SPEC E2, E12).

Tier performance is what the points earn today; the credited tier is what the partner holds.
An evaluation promotes at once, removes the tier at once when no certification is valid (no
tier without one), and demotes only when the partner has stayed below the credited tier for
the whole grace period, counted from the first evaluation in the current run below it.
"""

from dataclasses import dataclass
from datetime import date

from openprm.points.rules import Rules, add_months

PROMOTION = "promotion"
DEMOTION = "demotion"
CERTIFICATION = "certification"


@dataclass(frozen=True)
class Outcome:
    credited: str  # "" for no tier
    reason: str | None  # None when the credited tier stays


def demotion_due_on(*, below_since: date | None, rules: Rules) -> date | None:
    """The first evaluation day on which a partner below its tier since `below_since` drops."""
    if below_since is None:
        return None
    due = add_months(below_since, rules.demotion_grace_months)
    return due if is_evaluation_day(due, rules) else next_evaluation_day(due, rules)


@dataclass(frozen=True)
class PendingDemotion:
    """What the next evaluations would do to the credited tier if nothing changed."""

    below_since: date | None  # first day of the current run below the credited tier
    due_on: date | None  # the evaluation that lowers or removes it; None: none pending

    @property
    def at_risk(self) -> bool:
        return self.due_on is not None


def pending_demotion(
    *,
    credited: str,
    performance: str,
    certified_at_next_evaluation: bool,
    last_below_since: date | None,
    on: date,
    rules: Rules,
) -> PendingDemotion:
    """The pending demotion of a partner on `on`: the one rule the Tier page, the tiers API
    and the channel dashboard share, so "at risk" means the same everywhere.

    `last_below_since` is `below_since` of the partner's latest evaluation on or before `on`
    (None without one). Without a certification valid on the next evaluation day (none now,
    or the last one lapses before then) that evaluation removes the tier; below it, the grace
    period runs from the start of the run below (today when the latest evaluation was not
    below yet).
    """
    below = rules.tier_rank(performance) < rules.tier_rank(credited)
    below_since = (last_below_since or on) if below else None
    if credited and not certified_at_next_evaluation:
        return PendingDemotion(below_since, next_evaluation_day(on, rules))
    return PendingDemotion(below_since, demotion_due_on(below_since=below_since, rules=rules))


def evaluate_credited_tier(
    *,
    credited: str,
    performance: str,
    certified: bool,
    below_since: date | None,
    on: date,
    rules: Rules,
) -> Outcome:
    """The credited tier after an evaluation on `on`.

    `below_since` is the first evaluation day of the current run of evaluations whose
    performance was below the credited tier (None when the partner was not below it before).
    """
    if not certified:
        return Outcome("", CERTIFICATION) if credited else Outcome("", None)
    held, earned = rules.tier_rank(credited), rules.tier_rank(performance)
    if earned > held:
        return Outcome(performance, PROMOTION)
    if earned == held:
        # A credited name the rules no longer configure ranks as no tier, and is dropped.
        return Outcome("", DEMOTION) if credited and not held else Outcome(credited, None)
    due = demotion_due_on(below_since=below_since or on, rules=rules)
    if due is not None and on >= due:
        return Outcome(performance, DEMOTION)
    return Outcome(credited, None)


def is_evaluation_day(day: date, rules: Rules) -> bool:
    """Evaluations fall on the first of a month, every `evaluation_interval_months` months."""
    month_index = day.year * 12 + day.month - 1
    return day.day == 1 and month_index % rules.evaluation_interval_months == 0


def latest_evaluation_day(day: date, rules: Rules) -> date:
    """The most recent scheduled evaluation day on or before `day`."""
    month_index = day.year * 12 + day.month - 1
    month_index -= month_index % rules.evaluation_interval_months
    return date(month_index // 12, month_index % 12 + 1, 1)


def next_evaluation_day(day: date, rules: Rules) -> date:
    """The first scheduled evaluation day after `day`."""
    return add_months(latest_evaluation_day(day, rules), rules.evaluation_interval_months)
