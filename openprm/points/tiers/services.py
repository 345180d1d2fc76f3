"""Writes of the tier evaluation (SPEC E2, E12) and the certification alerts (E7).

An evaluation is a row per partner and evaluation day, so the sweep can run it as often as it
likes: a day already evaluated is returned as it was. A change of the credited tier is a
`TierChange` row written in the same transaction, with the event and the partner's new tier.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from openprm.accounts.models import Membership, Organization, User
from openprm.accounts.roles import Role
from openprm.core.dates import program_today
from openprm.core.events import record_event
from openprm.core.formatting import format_date
from openprm.crm.models import Certification
from openprm.notifications.kinds import TIER_AND_POINTS
from openprm.notifications.selectors import already_notified
from openprm.notifications.services import notify
from openprm.points.models import TierChange, TierEvaluation, tier_label
from openprm.points.rules import tier_performance, to_hundredths
from openprm.points.rulesets.selectors import rules_in_force
from openprm.points.tiers.rules import evaluate_credited_tier
from openprm.points.tiers.selectors import (
    certification_valid_until,
    lapsing_certifications,
    partners_due_evaluation,
    track_points,
)

# Days before a partner's last valid certification lapses that its admins are told (E7).
CERTIFICATION_ALERT_DAYS = (60, 14)


def partner_admins(organization: Organization) -> list[Any]:
    return partner_admins_of([organization.pk]).get(organization.pk, [])


def partner_admins_of(partner_ids: list[int]) -> dict[int, list[Any]]:
    """The active partner admins of each of these partners, in one query."""
    memberships = Membership.objects.filter(
        organization_id__in=partner_ids, role=Role.PARTNER_ADMIN, user__is_active=True
    ).select_related("user")
    admins: dict[int, list[Any]] = defaultdict(list)
    for membership in memberships:
        admins[membership.organization_id].append(membership.user)
    return admins


@transaction.atomic
def tier_evaluate(*, partner: Organization, on: date, actor: User | None = None) -> TierEvaluation:
    """Evaluate `partner`'s credited tier on `on`, once; a repeat returns the first result.

    Evaluations must run in date order (the grace period counts from the previous one), so a
    day before the partner's latest evaluation is answered with that day's row if it exists
    and otherwise refused.
    """
    partner = Organization.objects.select_for_update().get(pk=partner.pk)
    done = TierEvaluation.objects.filter(organization=partner, evaluated_on=on).first()
    if done is not None:
        return done
    previous = TierEvaluation.objects.filter(organization=partner).first()
    if previous is not None and previous.evaluated_on > on:
        raise ValueError(f"{partner} was already evaluated on {previous.evaluated_on}.")
    ruleset = rules_in_force(on)
    rules = ruleset.to_rules()
    points = track_points(organization=partner, on=on)
    certified = certification_valid_until(organization=partner, on=on) is not None
    earned = tier_performance(
        total=points.total,
        sold=points.sold,
        managed=points.managed,
        certified=certified,
        rules=rules,
    )
    performance = earned.name if earned else ""
    outcome = evaluate_credited_tier(
        credited=partner.tier,
        performance=performance,
        certified=certified,
        below_since=previous.below_since if previous else None,
        on=on,
        rules=rules,
    )
    below = rules.tier_rank(performance) < rules.tier_rank(outcome.credited)
    evaluation = TierEvaluation.objects.create(
        organization=partner,
        evaluated_on=on,
        performance_tier=performance,
        credited_before=partner.tier,
        credited_after=outcome.credited,
        sold_hundredths=to_hundredths(points.sold),
        managed_hundredths=to_hundredths(points.managed),
        certified=certified,
        below_since=((previous and previous.below_since) or on) if below else None,
        rule_version=ruleset,
    )
    if outcome.reason is not None:
        tier_change_record(
            partner=partner, evaluation=evaluation, reason=outcome.reason, actor=actor
        )
    return evaluation


def tier_change_record(
    *, partner: Organization, evaluation: TierEvaluation, reason: str, actor: User | None
) -> TierChange:
    """The credited tier moves: the change row, the partner's tier, the event, the news."""
    change = TierChange.objects.create(
        organization=partner,
        from_tier=evaluation.credited_before,
        to_tier=evaluation.credited_after,
        changed_on=evaluation.evaluated_on,
        reason=reason,
        evaluation=evaluation,
        rule_version=evaluation.rule_version,
    )
    partner.tier = evaluation.credited_after
    partner.bump_version()
    partner.save(update_fields=["tier", "version", "updated_at"])
    record_event(
        kind="points.tier_changed",
        obj=change,
        actor=actor,
        organization=partner,
        data={"from": change.from_tier, "to": change.to_tier, "reason": reason},
    )
    transaction.on_commit(lambda: tier_change_notify(change_id=change.pk))
    return change


def tier_change_notify(*, change_id: int) -> None:
    """News of a change, unless the partner has been evaluated since: a history written in
    one go (the demo's half year) tells of today's tier, not of a promotion months ago."""
    change = TierChange.objects.select_related("organization").get(pk=change_id)
    if TierEvaluation.objects.filter(
        organization=change.organization, evaluated_on__gt=change.changed_on
    ).exists():
        return
    for user in partner_admins(change.organization):
        with translation.override(user.language or None):
            to = str(tier_label(change.to_tier)) if change.to_tier else _("No tier")
            notify(
                recipient=user,
                kind=TIER_AND_POINTS,
                cause=f"tier_change:{change.pk}",
                title=_("Your credited tier is now %(tier)s") % {"tier": to},
                body=str(change.get_reason_display()),
                link=reverse("points:tier"),
            )


def tiers_evaluate_due(*, now: datetime) -> int:
    """Evaluate every active partner not yet evaluated on the latest scheduled day."""
    day, due = partners_due_evaluation(now=now)
    count = 0
    for partner in due.order_by("pk"):
        latest = TierEvaluation.objects.filter(organization=partner).first()
        if latest is not None and latest.evaluated_on > day:
            continue
        tier_evaluate(partner=partner, on=day)
        count += 1
    return count


def certification_alerts_send(*, now: datetime) -> int:
    """Tell partner admins 60 and 14 days before their last valid certification lapses;
    returns the alerts sent.

    Each alert's cause names the certification and the threshold, so it is sent once however
    often the sweep runs, and a renewed certification (a new row) starts afresh. A run reads
    the lapsing certifications, their partners' admins and the alerts already sent in three
    queries, however many partners are in the window.
    """
    today = program_today(now)
    lapses = lapsing_certifications(
        on=today, until=today + timedelta(days=max(CERTIFICATION_ALERT_DAYS))
    )
    if not lapses:
        return 0
    admins = partner_admins_of([c.organization_id for c in lapses])
    causes = {c.pk: certification_alert_cause(c, today) for c in lapses}
    sent_before = already_notified(
        recipient_ids=[user.pk for users in admins.values() for user in users],
        causes=causes.values(),
    )
    sent = 0
    for certification in lapses:
        for user in admins.get(certification.organization_id, []):
            if (user.pk, causes[certification.pk]) not in sent_before:
                certification_alert(user, certification, causes[certification.pk], today)
                sent += 1
    return sent


def certification_alert_cause(certification: Certification, today: date) -> str:
    days_left = (certification.valid_until - today).days
    threshold = min(d for d in CERTIFICATION_ALERT_DAYS if days_left <= d)
    return f"certification_lapse:{certification.pk}:{threshold}"


def certification_alert(user: Any, certification: Certification, cause: str, today: date) -> None:
    with translation.override(user.language or None):
        notify(
            recipient=user,
            kind=TIER_AND_POINTS,
            cause=cause,
            title=_("Your partner certification lapses in %(days)s days")
            % {"days": (certification.valid_until - today).days},
            body=_("No tier is credited without a valid certification. Valid until %(day)s.")
            % {"day": format_date(certification.valid_until)},
            link=reverse("points:tier"),
        )
