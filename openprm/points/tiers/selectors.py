"""Reads of the tiers: whose tier figures the requester may see (`partner_for`), and a partner's
tier status on a day, from the ledger, the certifications and the tier evaluations."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.accounts.roles import OrganizationKind, Role
from openprm.core.dates import program_today
from openprm.core.errors import NotFound, field_error
from openprm.crm.models import Certification, Source
from openprm.points.models import (
    PointEntry,
    RuleSet,
    TierChange,
    TierEvaluation,
    Track,
    tier_label,
)
from openprm.points.rules import (
    POINT,
    Rules,
    TierRule,
    from_hundredths,
    tier_performance,
)
from openprm.points.rulesets.selectors import rules_in_force
from openprm.points.tiers.rules import (
    latest_evaluation_day,
    next_evaluation_day,
    pending_demotion,
)


def certification_valid_until(*, organization: Organization, on: date | None = None) -> date | None:
    """The last day of the partner's longest-lasting certification valid on `on`, if any."""
    day = on or program_today()
    return (
        Certification.objects.filter(
            organization=organization, certified_on__lte=day, valid_until__gte=day
        )
        .order_by("-valid_until")
        .values_list("valid_until", flat=True)
        .first()
    )


def lapsing_certifications(*, on: date, until: date) -> list[Certification]:
    """For each active partner whose last certification valid on `on` lapses by `until`, that
    certification (the first by id of those lasting longest): one query, starting from the
    certifications that lapse in the window, never from every partner."""
    valid = Certification.objects.filter(certified_on__lte=on, valid_until__gte=on)
    lapsing_soon = valid.filter(
        valid_until__lte=until,
        organization__kind=OrganizationKind.PARTNER,
        organization__is_active=True,
    ).values("organization_id")
    last: dict[int, Certification] = {}
    for certification in valid.filter(organization_id__in=lapsing_soon).order_by(
        "organization_id", "-valid_until", "pk"
    ):
        last.setdefault(certification.organization_id, certification)
    return [c for c in last.values() if c.valid_until <= until]


def partner_for(*, user: User, partner_id: int | None = None) -> Organization:
    """The partner whose tier figures `user` asks for: its own, or one the vendor user sees.

    Partners see only themselves; the program admin every partner; a PDM the partners they
    look after; other vendor roles none. Vendor staff must name the partner.
    """
    organization = user.organization
    if organization is None:
        raise NotFound()
    if user.is_partner:
        if partner_id is not None and partner_id != organization.pk:
            raise NotFound()
        return organization
    partners = Organization.objects.partners()
    if user.role == Role.PDM:
        partners = partners.filter(pdm=user)
    elif user.role != Role.PROGRAM_ADMIN:
        raise NotFound()
    if partner_id is None:
        raise field_error("partner", _("Choose a partner."), "required")
    partner = partners.filter(pk=partner_id).first()
    if partner is None:
        raise NotFound()
    return partner


def tier_changes(*, partner: Organization) -> list[TierChange]:
    return list(TierChange.objects.filter(organization=partner).select_related("rule_version"))


@dataclass(frozen=True)
class TrackPoints:
    """Active points on a day, with sold points split by the source of the sale."""

    sourced: Decimal
    assisted: Decimal
    managed: Decimal

    @property
    def sold(self) -> Decimal:
        return self.sourced + self.assisted

    @property
    def total(self) -> Decimal:
        return self.sold + self.managed


def track_points(*, organization: Organization, on: date | None = None) -> TrackPoints:
    day = on or program_today()
    sums = (
        PointEntry.objects.filter(organization=organization)
        .active_on(day)
        .aggregate(
            sourced=Sum(
                "points_hundredths",
                filter=Q(track=Track.SOLD, opportunity__source=Source.SOURCED),
                default=0,
            ),
            assisted=Sum(
                "points_hundredths",
                filter=Q(track=Track.SOLD) & ~Q(opportunity__source=Source.SOURCED),
                default=0,
            ),
            managed=Sum("points_hundredths", filter=Q(track=Track.MANAGED), default=0),
        )
    )
    return TrackPoints(
        sourced=from_hundredths(sums["sourced"]),
        assisted=from_hundredths(sums["assisted"]),
        managed=from_hundredths(sums["managed"]),
    )


@dataclass(frozen=True)
class Shortfall:
    """Points still missing against one tier's threshold and minimums (0 where met)."""

    total: Decimal
    sold: Decimal
    managed: Decimal

    @classmethod
    def against(cls, tier: TierRule, points: TrackPoints) -> "Shortfall":
        def gap(need: Decimal, have: Decimal) -> Decimal:
            return max(need - have, Decimal(0)).quantize(POINT)

        return cls(
            total=gap(tier.threshold, points.total),
            sold=gap(tier.sold_minimum, points.sold),
            managed=gap(tier.managed_minimum, points.managed),
        )

    @property
    def is_met(self) -> bool:
        return not (self.total or self.sold or self.managed)


@dataclass(frozen=True)
class TierStatus:
    """A partner's tier figures on a day: the one read model the Tier page, the tiers API
    and the dashboard share. Tier names are the configured names ("" = no tier); labels are
    their translations."""

    partner_id: int
    on: date
    rule_version: int
    certified: bool
    certification_valid_until: date | None
    credited_tier: str
    credited_since: date | None
    performance_tier: str
    points: TrackPoints
    next_tier: str
    next_tier_threshold: Decimal | None
    to_next_tier: Shortfall | None  # None at the highest tier
    to_keep_tier: Shortfall | None  # None without a credited tier
    below_credited_since: date | None
    demotion_due_on: date | None

    @property
    def credited_tier_label(self) -> str:
        return str(tier_label(self.credited_tier)) if self.credited_tier else ""

    @property
    def performance_tier_label(self) -> str:
        return str(tier_label(self.performance_tier)) if self.performance_tier else ""

    @property
    def next_tier_label(self) -> str:
        return str(tier_label(self.next_tier)) if self.next_tier else ""

    @property
    def total_points(self) -> Decimal:
        return self.points.total

    @property
    def sold_points(self) -> Decimal:
        return self.points.sold

    @property
    def managed_points(self) -> Decimal:
        return self.points.managed

    @property
    def points_to_next_tier(self) -> Decimal | None:
        return self.to_next_tier.total if self.to_next_tier else None

    @property
    def points_to_keep_tier(self) -> Decimal | None:
        return self.to_keep_tier.total if self.to_keep_tier else None

    @property
    def at_risk(self) -> bool:
        """A demotion (or the loss of the tier without a certification) is pending."""
        return self.demotion_due_on is not None


def latest_below_since(*, partner_ids: list[int], on: date) -> dict[int, date | None]:
    """`below_since` of each partner's latest tier evaluation on or before `on`, in one query
    however many partners (a partner never evaluated is left out)."""
    latest = (
        TierEvaluation.objects.filter(
            organization_id=OuterRef("organization_id"), evaluated_on__lte=on
        )
        .order_by("-evaluated_on", "-id")
        .values("pk")[:1]
    )
    rows = TierEvaluation.objects.filter(
        organization_id__in=partner_ids, pk=Subquery(latest)
    ).values_list("organization_id", "below_since")
    return dict(rows)


def partners_due_evaluation(*, now: datetime) -> tuple[date, QuerySet[Organization]]:
    """The latest scheduled evaluation day, and the active partners not yet evaluated on it."""
    today = program_today(now)
    day = latest_evaluation_day(today, rules_in_force(today).to_rules())
    done = TierEvaluation.objects.filter(evaluated_on=day).values("organization_id")
    return day, Organization.objects.partners().filter(is_active=True).exclude(pk__in=done)


def next_tier_above(rules: Rules, *names: str) -> TierRule | None:
    """The tier above the higher of the given ones (the lowest tier above no tier)."""
    rank = max(rules.tier_rank(name) for name in names)
    return rules.tiers[rank] if rank < len(rules.tiers) else None


def tier_status_for(*, partner: Organization, on: date | None = None) -> TierStatus:
    """The credited tier and tier performance of `partner` on `on` (today by default).

    Callers resolve `partner` through a scoped lookup first (an Organization the requester
    may see); this reads that partner's own rows only.
    """
    day = on or program_today()
    return tier_status(partner=partner, day=day, ruleset=rules_in_force(day))


def tier_status(*, partner: Organization, day: date, ruleset: RuleSet) -> TierStatus:
    """`tier_status_for` under a rule version the caller has already read for `day`."""
    rules = ruleset.to_rules()
    points = track_points(organization=partner, on=day)
    valid_until = certification_valid_until(organization=partner, on=day)
    earned = tier_performance(
        total=points.total,
        sold=points.sold,
        managed=points.managed,
        certified=valid_until is not None,
        rules=rules,
    )
    performance = earned.name if earned else ""
    credited = partner.tier
    last_change = (
        TierChange.objects.filter(organization=partner, changed_on__lte=day)
        .values_list("changed_on", flat=True)
        .first()
    )
    last_below_since = None  # only read when below: pending_demotion ignores it otherwise
    if rules.tier_rank(performance) < rules.tier_rank(credited):
        last_below_since = latest_below_since(partner_ids=[partner.pk], on=day).get(partner.pk)
    next_evaluation = next_evaluation_day(day, rules)
    certified_next = bool(valid_until and valid_until >= next_evaluation) or (
        bool(credited)
        and certification_valid_until(organization=partner, on=next_evaluation) is not None
    )
    pending = pending_demotion(
        credited=credited,
        performance=performance,
        certified_at_next_evaluation=certified_next,
        last_below_since=last_below_since,
        on=day,
        rules=rules,
    )
    upper = next_tier_above(rules, credited, performance)
    held = rules.tier_named(credited)
    return TierStatus(
        partner_id=partner.pk,
        on=day,
        rule_version=ruleset.version,
        certified=valid_until is not None,
        certification_valid_until=valid_until,
        credited_tier=credited,
        credited_since=last_change,
        performance_tier=performance,
        points=points,
        next_tier=upper.name if upper else "",
        next_tier_threshold=upper.threshold if upper else None,
        to_next_tier=Shortfall.against(upper, points) if upper else None,
        to_keep_tier=Shortfall.against(held, points) if held else None,
        below_credited_since=pending.below_since,
        demotion_due_on=pending.due_on,
    )
