"""Writes of the rule versions: the program admin publishes a new version (the program settings'
*Rule sets*); a published version is never changed."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.dates import program_today
from openprm.core.errors import field_error
from openprm.core.events import record_event
from openprm.core.program_settings import recordable, require_program_admin
from openprm.crm.models import Currency, Market
from openprm.points.models import RuleSet
from openprm.points.rules import TierRule

RULE_FIELDS = (
    "sourced_rate",
    "assisted_rate",
    "managed_rate",
    "sold_life_months",
    "tiers",
    "demotion_grace_months",
    "evaluation_interval_months",
)


def snapshot_tables() -> tuple[dict[str, str], dict[str, str]]:
    """The currency and growth-market tables as they stand now, for a new rule version."""
    currencies = {c.code: str(c.usd100_equivalent) for c in Currency.objects.all()}
    markets = {
        str(m.country): str(m.point_multiplier) for m in Market.objects.filter(is_growth=True)
    }
    return currencies, markets


def validate_tiers(tiers: list[dict[str, Any]]) -> None:
    """Tiers must be named, not negative, and climb: each threshold above the one below."""
    previous: TierRule | None = None
    for tier in tiers:
        try:
            current = TierRule.from_config(tier)
        except (KeyError, ArithmeticError, TypeError):
            raise field_error(
                "tiers", _("Each tier needs a name, threshold and minimums.")
            ) from None
        if (
            not current.name
            or min(current.threshold, current.sold_minimum, current.managed_minimum) < 0
        ):
            raise field_error("tiers", _("Tier names are required and points cannot be negative."))
        if previous and current.threshold <= previous.threshold:
            raise field_error("tiers", _("Each tier's threshold must be above the one below it."))
        previous = current


def check_effective_from(effective_from: date) -> None:
    """Tomorrow at the earliest, and after the latest version's day: a version slipped in before
    one already published would hold that version's changes early and lose its own later."""
    if effective_from <= program_today():
        raise field_error(
            "effective_from", _("A rule version takes effect tomorrow at the earliest.")
        )
    latest = RuleSet.objects.order_by("-effective_from").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise field_error(
            "effective_from",
            _("Version %(version)s takes effect on %(day)s; choose a later day.")
            % {"version": latest.version, "day": latest.effective_from.isoformat()},
            "overlap",
        )


@transaction.atomic
def ruleset_publish(
    *, actor: User, effective_from: date, note: str = "", **changes: Any
) -> RuleSet:
    """A new rule version from the latest one with `changes`; the tables are snapshotted now.

    A version takes effect tomorrow at the earliest: today's sales may already be posted under
    the version in force, and no posted entry's rules may change under it. The audit log gets
    the settings it changed from the latest version, before and after.
    """
    require_program_admin(actor)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This is not a rule setting."))
    RuleSet.objects.ensure_first_version()
    latest = RuleSet.objects.select_for_update().order_by("-version")[0]
    check_effective_from(effective_from)
    values = {name: getattr(latest, name) for name in RULE_FIELDS}
    values.update(changes)
    validate_tiers(values["tiers"])
    currencies, markets = snapshot_tables()
    next_version = (RuleSet.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    ruleset = RuleSet(
        version=next_version,
        effective_from=effective_from,
        created_by=actor,
        note=note,
        usd100_equivalents=currencies,
        market_multipliers=markets,
        **values,
    )
    ruleset.full_clean()
    ruleset.save()
    ruleset.refresh_from_db()
    record_event(
        kind="points.rules_published",
        obj=ruleset,
        actor=actor,
        data={
            "version": ruleset.version,
            "effective_from": effective_from.isoformat(),
            "changes": rule_changes(latest, ruleset),
        },
    )
    return ruleset


def rule_changes(latest: RuleSet, published: RuleSet) -> dict[str, list[Any]]:
    """The settings and tables the new version holds otherwise than the latest, as
    [before, after]."""
    names = (*RULE_FIELDS, "usd100_equivalents", "market_multipliers")
    before = {name: recordable(getattr(latest, name)) for name in names}
    after = {name: recordable(getattr(published, name)) for name in names}
    return {name: [before[name], after[name]] for name in names if before[name] != after[name]}
