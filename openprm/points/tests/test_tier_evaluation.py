"""The scheduled tier evaluation: promotion at once, demotion after the grace period, rows."""

import datetime

import pytest
import time_machine

from openprm.core.events import Event
from openprm.core.sweep import run_sweep
from openprm.notifications.models import Notification
from openprm.points import sweeps
from openprm.points.models import TierChange, TierEvaluation
from openprm.points.tests.factories import SubscriptionFactory, certify, manage, sell
from openprm.points.tiers import services as tier_services
from openprm.points.tiers.selectors import tier_status_for

pytestmark = pytest.mark.django_db

D = datetime.date
STILL_VALID = D(2028, 1, 1)


@pytest.fixture
def gold_until_november(northwind):
    """Northwind: 100 sold points expiring 2026-10-15 and 80 managed points: Gold until then."""
    certify(northwind, until=STILL_VALID)
    sell(northwind, mrr_minor=2000_00, closed_on=D(2025, 10, 15))
    manage(northwind, mrr_minor=8000_00, since=D(2025, 9, 1))
    return northwind


def evaluate(partner, day: datetime.date) -> TierEvaluation:
    evaluation = tier_services.tier_evaluate(partner=partner, on=day)
    partner.refresh_from_db()
    return evaluation


def test_an_evaluation_credits_the_tier_the_points_earn_at_once(gold_until_november):
    evaluate(gold_until_november, D(2026, 10, 1))
    assert gold_until_november.tier == "Gold"
    change = TierChange.objects.get(organization=gold_until_november)
    assert (change.from_tier, change.to_tier, change.reason) == ("", "Gold", "promotion")
    assert change.changed_on == D(2026, 10, 1)
    assert change.rule_version.version == 1


def test_a_promotion_is_an_event_and_tells_the_partner_admin(
    gold_until_november, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(gold_until_november, D(2026, 10, 1))
    assert Event.objects.filter(kind="points.tier_changed").count() == 1
    notification = Notification.objects.get(recipient=alice)
    assert notification.title == "Your credited tier is now Gold"


def test_a_promotion_written_as_history_with_later_evaluations_tells_nobody(
    gold_until_november, alice, django_capture_on_commit_callbacks
):
    """The demo evaluates half a year in one go: the tier held since then is no news."""
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(gold_until_november, D(2026, 8, 1))
        evaluate(gold_until_november, D(2026, 9, 1))
    assert TierChange.objects.filter(organization=gold_until_november).count() == 1
    assert not Notification.objects.filter(recipient=alice).exists()


def test_without_a_valid_certification_the_points_credit_no_tier(northwind):
    sell(northwind, mrr_minor=20_000_00, closed_on=D(2026, 9, 1))
    manage(northwind, mrr_minor=80_000_00, since=D(2026, 9, 1))
    evaluation = evaluate(northwind, D(2026, 10, 1))
    assert evaluation.performance_tier == ""
    assert northwind.tier == ""
    assert not TierChange.objects.exists()


def test_a_lapsed_certification_removes_the_credited_tier_at_the_next_evaluation(northwind):
    certify(northwind, until=D(2026, 10, 20))
    sell(northwind, mrr_minor=2000_00, closed_on=D(2026, 9, 15))
    manage(northwind, mrr_minor=8000_00, since=D(2026, 9, 1))
    evaluate(northwind, D(2026, 10, 1))
    evaluate(northwind, D(2026, 11, 1))
    assert northwind.tier == ""
    assert TierChange.objects.filter(reason="certification").count() == 1


def test_below_the_tier_the_partner_keeps_it_through_the_grace_period(gold_until_november):
    for day in [D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1)]:
        evaluate(gold_until_november, day)
    assert gold_until_november.tier == "Gold"
    latest = TierEvaluation.objects.filter(organization=gold_until_november).latest("evaluated_on")
    assert latest.performance_tier == ""
    assert latest.below_since == D(2026, 11, 1)


def test_a_whole_grace_period_below_the_tier_demotes_the_partner(gold_until_november):
    for day in [D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1), D(2027, 2, 1)]:
        evaluate(gold_until_november, day)
    assert gold_until_november.tier == ""
    demotion = TierChange.objects.get(reason="demotion")
    assert (demotion.from_tier, demotion.to_tier) == ("Gold", "")
    assert demotion.changed_on == D(2027, 2, 1)


def test_meeting_the_tier_again_ends_the_grace_period(gold_until_november):
    evaluate(gold_until_november, D(2026, 10, 1))
    evaluate(gold_until_november, D(2026, 11, 1))
    sell(gold_until_november, mrr_minor=2000_00, closed_on=D(2026, 11, 20))
    evaluate(gold_until_november, D(2026, 12, 1))
    evaluate(gold_until_november, D(2027, 1, 1))
    evaluate(gold_until_november, D(2027, 2, 1))
    assert gold_until_november.tier == "Gold"
    latest = TierEvaluation.objects.filter(organization=gold_until_november).latest("evaluated_on")
    assert latest.below_since is None


def test_evaluating_the_same_day_again_changes_nothing(gold_until_november):
    first = evaluate(gold_until_november, D(2026, 10, 1))
    again = evaluate(gold_until_november, D(2026, 10, 1))
    assert again.pk == first.pk
    assert TierEvaluation.objects.count() == 1
    assert TierChange.objects.count() == 1


def test_an_evaluation_before_the_latest_one_is_refused(gold_until_november):
    evaluate(gold_until_november, D(2026, 11, 1))
    with pytest.raises(ValueError, match="already evaluated"):
        evaluate(gold_until_november, D(2026, 10, 1))


def test_the_sweep_evaluates_every_partner_once_a_month(gold_until_november, tailspin):
    with time_machine.travel(datetime.datetime(2026, 10, 3, 8, tzinfo=datetime.UTC)):
        first = run_sweep()
        again = run_sweep()
    assert first["due_work"]["points.tiers_evaluate"] == 2
    assert again["due_work"]["points.tiers_evaluate"] == 0
    days = set(TierEvaluation.objects.values_list("evaluated_on", flat=True))
    assert days == {D(2026, 10, 1)}
    gold_until_november.refresh_from_db()
    assert gold_until_november.tier == "Gold"


def test_the_status_shows_the_pending_demotion_of_a_partner_below_its_tier(gold_until_november):
    evaluate(gold_until_november, D(2026, 10, 1))
    evaluate(gold_until_november, D(2026, 11, 1))
    status = tier_status_for(partner=gold_until_november, on=D(2026, 11, 10))
    assert status.credited_tier == "Gold"
    assert status.performance_tier == ""
    assert status.below_credited_since == D(2026, 11, 1)
    assert status.demotion_due_on == D(2027, 2, 1)
    assert status.at_risk
    assert status.to_keep_tier is not None
    assert status.to_keep_tier.sold == 30


def test_the_status_counts_sourced_and_assisted_points_apart(northwind):
    certify(northwind, until=STILL_VALID)
    sell(northwind, mrr_minor=2000_00, closed_on=D(2026, 9, 1))
    sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 9, 2), source="assisted")
    manage(northwind, mrr_minor=8000_00, since=D(2026, 9, 1))
    status = tier_status_for(partner=northwind, on=D(2026, 10, 1))
    assert (status.points.sourced, status.points.assisted) == (100, 30)
    assert (status.sold_points, status.managed_points, status.total_points) == (130, 80, 210)
    assert status.performance_tier == "Gold"
    assert status.next_tier == "Platinum"
    assert status.to_next_tier is not None
    assert (status.to_next_tier.total, status.to_next_tier.managed) == (190, 80)
    assert status.points_to_next_tier == 190
    assert not status.at_risk


def test_the_sweep_evaluates_only_once_the_ledger_is_level(northwind, tailspin, monkeypatch):
    """Two unposted subscriptions and a budget of one per sweep: the first sweep on the first
    of the month posts one and leaves the evaluation for a sweep with the whole ledger."""
    certify(northwind, until=STILL_VALID)
    for _ in range(2):
        SubscriptionFactory.create(
            mrr_minor=20_000_00, started_on=D(2026, 9, 1), managing_partners=[northwind]
        )
    monkeypatch.setattr(sweeps, "SUBSCRIPTIONS_PER_SWEEP", 1)
    with time_machine.travel(datetime.datetime(2026, 10, 1, 8, tzinfo=datetime.UTC)):
        first = run_sweep()
        second = run_sweep()
    assert first["due_work"]["points.tiers_evaluate"] == 0
    assert second["due_work"]["points.tiers_evaluate"] == 2
    evaluation = TierEvaluation.objects.get(organization=northwind)
    assert evaluation.managed_hundredths == 400_00
