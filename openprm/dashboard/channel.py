"""The channel dashboard (vendor view): every partner the requester covers, with its credited
tier, tier performance, trend, an at-risk flag and warnings; filtered by name, credited tier,
market and country, sortable by every column, 50 partners a page.

"At risk" is the tier evaluation's own rule (`points.tiers.rules.pending_demotion`, which the
Tier page and the tiers API read through `tier_status`): a demotion or the loss of the tier is
pending (points below the credited tier, or no certification valid on the next evaluation
day), and the row carries the day it is due. A certification lapsing after the next evaluation,
falling tier performance and points that will expire are warnings: they demote no one yet.

Points are summed for all partners at once (two grouped queries over the ledger: today and
the trend's start), and the latest evaluations are read in one query, so the page costs the
same few queries however many partners it lists; sorted by name, only the page's partners are
read at all.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.core.errors import NotFound
from openprm.core.replica import report_reads
from openprm.crm import selectors as crm_selectors
from openprm.crm.models import Certification, Market
from openprm.crm.selectors import PartnerFilters
from openprm.dashboard.selectors import can_see_channel
from openprm.points.models import PointEntry, Track, counts_on, expires_within, tier_label
from openprm.points.rules import (
    Rules,
    TierRule,
    from_hundredths,
    performance_rank,
    tier_performance,
)
from openprm.points.rulesets.selectors import rules_in_force
from openprm.points.tiers.next_tier import EXPIRY_HORIZON_DAYS
from openprm.points.tiers.rules import PendingDemotion, next_evaluation_day, pending_demotion
from openprm.points.tiers.selectors import latest_below_since

TREND_DAYS = 90
CERTIFICATION_WARNING_DAYS = 60
SORTS = ("name", "credited", "performance", "trend", "risk", "points")
PAGE_SIZE = 50
NO_POINTS = (Decimal("0.00"), Decimal("0.00"))  # sold, managed


@dataclass(frozen=True)
class ChannelRow:
    partner: Organization
    credited_tier: str | None
    tier_performance: str | None
    total_points: Decimal
    trend: Decimal  # points gained (or lost) over the trend period
    at_risk: bool
    demotion_due_on: date | None  # set exactly when at_risk
    risk_reason: str  # why the demotion is pending ("" when not at risk)
    warnings: list[str]  # worth watching, but no demotion is pending because of them
    tier_rank: int  # the performance tier's rank (0: none), for sorting
    credited_rank: int


def _points_by_partner(partner_ids: list[int], day: date) -> dict[int, tuple[Decimal, Decimal]]:
    rows = (
        PointEntry.objects.filter(counts_on(day), organization_id__in=partner_ids)
        .values("organization_id")
        .annotate(
            sold=Sum("points_hundredths", filter=Q(track=Track.SOLD), default=0),
            managed=Sum("points_hundredths", filter=Q(track=Track.MANAGED), default=0),
        )
    )
    return {
        row["organization_id"]: (from_hundredths(row["sold"]), from_hundredths(row["managed"]))
        for row in rows
    }


def _expiring_sold_by_partner(partner_ids: list[int], on: date, until: date) -> dict[int, Decimal]:
    """Sold points that count on `on` and stop counting by `until` (the Tier page's horizon)."""
    rows = (
        PointEntry.objects.filter(expires_within(on, until), organization_id__in=partner_ids)
        .values("organization_id")
        .annotate(total=Sum("points_hundredths"))
    )
    return {row["organization_id"]: from_hundredths(row["total"]) for row in rows}


def _performance(points: tuple[Decimal, Decimal], certified: bool, rules: Rules) -> TierRule | None:
    sold, managed = points
    return tier_performance(
        total=sold + managed, sold=sold, managed=managed, certified=certified, rules=rules
    )


def _rank(tier: TierRule | None, rules: Rules) -> int:
    return rules.tier_rank(tier.name if tier else "")


def _certifications(
    partner_ids: list[int], on: date, next_evaluation: date
) -> tuple[dict[int, date], set[int]]:
    """The last day of the certifications valid on `on` by partner, and the partners with one
    valid on the next evaluation day."""
    valid_until: dict[int, date] = {}
    certified_next: set[int] = set()
    for organization_id, first_day, last_day in Certification.objects.filter(
        organization_id__in=partner_ids, certified_on__lte=next_evaluation, valid_until__gte=on
    ).values_list("organization_id", "certified_on", "valid_until"):
        if first_day <= on:
            valid_until[organization_id] = max(last_day, valid_until.get(organization_id, on))
        if last_day >= next_evaluation:
            certified_next.add(organization_id)
    return valid_until, certified_next


@dataclass(frozen=True)
class ChannelFacts:
    """Everything the rows need, read in a few queries for all the partners listed."""

    on: date
    rules: Rules
    now_points: dict[int, tuple[Decimal, Decimal]]
    then_points: dict[int, tuple[Decimal, Decimal]]
    below_since: dict[int, date | None]
    expiring: dict[int, Decimal]
    valid_until: dict[int, date]
    certified_next: set[int]

    @classmethod
    def read(cls, partner_ids: list[int], on: date, rules: Rules) -> "ChannelFacts":
        until = on + timedelta(days=EXPIRY_HORIZON_DAYS)
        valid_until, certified_next = _certifications(
            partner_ids, on, next_evaluation_day(on, rules)
        )
        return cls(
            on=on,
            rules=rules,
            now_points=_points_by_partner(partner_ids, on),
            then_points=_points_by_partner(partner_ids, on - timedelta(days=TREND_DAYS)),
            below_since=latest_below_since(partner_ids=partner_ids, on=on),
            expiring=_expiring_sold_by_partner(partner_ids, on, until),
            valid_until=valid_until,
            certified_next=certified_next,
        )


def _risk_reason(pending: PendingDemotion, certified: bool, lapses_first: bool) -> str:
    if not pending.at_risk:
        return ""
    if not certified:
        return _("No valid certification")
    if lapses_first:
        return _("Certification lapses before the next evaluation")
    return _("Points below the credited tier")


def _warnings(partner: Organization, facts: ChannelFacts, pending: PendingDemotion) -> list[str]:
    """What is worth watching although it demotes no one yet."""
    on, rules = facts.on, facts.rules
    valid_until = facts.valid_until.get(partner.pk)
    certified = valid_until is not None
    lapses_first = partner.pk not in facts.certified_next
    current = facts.now_points.get(partner.pk, NO_POINTS)
    warnings = []
    lapsing = valid_until and valid_until <= on + timedelta(days=CERTIFICATION_WARNING_DAYS)
    if lapsing and not (pending.at_risk and lapses_first):
        warnings.append(_("Certification lapses within 60 days"))
    before = _performance(facts.then_points.get(partner.pk, NO_POINTS), certified, rules)
    if _rank(_performance(current, certified, rules), rules) < _rank(before, rules):
        warnings.append(_("Tier performance fell in the last 90 days"))
    sold, managed = current
    sold_after_expiry = max(sold - facts.expiring.get(partner.pk, Decimal(0)), Decimal(0))
    rank_after_expiry = performance_rank(
        sold=sold_after_expiry, managed=managed, certified=certified, rules=rules
    )
    if not pending.at_risk and rank_after_expiry < rules.tier_rank(partner.tier):
        warnings.append(_("Expiring points drop it below its tier within 90 days"))
    return warnings


def _row(partner: Organization, facts: ChannelFacts) -> ChannelRow:
    rules = facts.rules
    certified = partner.pk in facts.valid_until
    current = facts.now_points.get(partner.pk, NO_POINTS)
    previous = facts.then_points.get(partner.pk, NO_POINTS)
    performance = _performance(current, certified, rules)
    pending = pending_demotion(
        credited=partner.tier,
        performance=performance.name if performance else "",
        certified_at_next_evaluation=partner.pk in facts.certified_next,
        last_below_since=facts.below_since.get(partner.pk),
        on=facts.on,
        rules=rules,
    )
    lapses_first = partner.pk not in facts.certified_next
    return ChannelRow(
        partner=partner,
        credited_tier=str(tier_label(partner.tier)) if partner.tier else None,
        tier_performance=str(tier_label(performance.name)) if performance else None,
        total_points=sum(current, Decimal("0.00")),
        trend=sum(current, Decimal("0.00")) - sum(previous, Decimal("0.00")),
        at_risk=pending.at_risk,
        demotion_due_on=pending.due_on,
        risk_reason=_risk_reason(pending, certified, lapses_first),
        warnings=_warnings(partner, facts, pending),
        tier_rank=_rank(performance, rules),
        credited_rank=rules.tier_rank(partner.tier),
    )


@dataclass(frozen=True)
class ChannelChoices:
    """What the channel dashboard's filter offers, and the rules in force it was read with."""

    rules: Rules
    tiers: list[tuple[str, str]]  # (name, label), lowest first
    markets: list[str]  # country codes
    countries: list[str]


def market_codes() -> list[str]:
    """The program's markets (customer countries), as codes."""
    return [
        str(code) for code in Market.objects.order_by("country").values_list("country", flat=True)
    ]


def channel_choices(*, user: User, on: date) -> ChannelChoices:
    """The program's tiers and markets, and the countries of the partners the user covers."""
    if not can_see_channel(user):
        raise NotFound()
    rules = rules_in_force(on).to_rules()
    return ChannelChoices(
        rules=rules,
        tiers=[(tier.name, str(tier_label(tier.name))) for tier in rules.tiers],
        markets=market_codes(),
        countries=crm_selectors.partner_countries(user=user),
    )


def channel_rows(*, user: User, on: date, sort: str = "name") -> list[ChannelRow]:
    """Every partner the program admin or a PDM covers; anyone else gets a 404."""
    if not can_see_channel(user):
        raise NotFound()
    return rows_of(list(crm_selectors.partners_for_user(user=user)), on, sort)


def rows_of(
    partners: list[Organization], on: date, sort: str, rules: Rules | None = None
) -> list[ChannelRow]:
    rules = rules or rules_in_force(on).to_rules()
    with report_reads():  # who may see the partners was decided on the primary
        facts = ChannelFacts.read([partner.pk for partner in partners], on, rules)
    return sort_rows([_row(partner, facts) for partner in partners], sort)


def channel_page(
    *,
    user: User,
    on: date,
    filters: PartnerFilters,
    sort: str = "name",
    page_number: Any = 1,
    rules: Rules | None = None,
) -> Page:
    """One page of the partners the user covers that match `filters`, as rows. By name, the
    database sorts and pages, and only the page's partners are summed; the other columns are
    figures of the tier rules, so every matching partner's row is made (in the same few
    queries) and sorted before the page is cut."""
    if not can_see_channel(user):
        raise NotFound()
    with report_reads():  # who may see it was decided on the primary
        partners = crm_selectors.partners_filtered(user=user, filters=filters)
        if sort.lstrip("-") == "name":
            order = ("-search_name", "-id") if sort.startswith("-") else ("search_name", "id")
            paginator: Paginator[Any] = Paginator(partners.order_by(*order), PAGE_SIZE)
            page = paginator.get_page(page_number)
            page.object_list = rows_of(list(page.object_list), on, "", rules)
            return page
        rows = rows_of(list(partners), on, sort, rules)
        return Paginator(rows, PAGE_SIZE).get_page(page_number)


def sort_rows(rows: list[ChannelRow], sort: str) -> list[ChannelRow]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    keys = {
        "name": lambda r: r.partner.name.lower(),
        "credited": lambda r: (r.credited_rank, r.total_points),
        "performance": lambda r: (r.tier_rank, r.total_points),
        "trend": lambda r: r.trend,
        "points": lambda r: r.total_points,
        # Descending: at risk first, the soonest demotion first, then the most warnings.
        "risk": lambda r: (
            r.at_risk,
            -r.demotion_due_on.toordinal() if r.demotion_due_on else 0,
            len(r.warnings),
        ),
    }
    if not sort:
        return rows
    if key not in keys:
        key, descending = "name", False
    return sorted(rows, key=keys[key], reverse=descending)
