"""Certification alerts 60 and 14 days before a partner's last valid certification lapses."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openprm.core.sweep import run_sweep
from openprm.notifications.models import Notification
from openprm.points.tests.factories import certify
from openprm.points.tiers.services import certification_alerts_send

pytestmark = pytest.mark.django_db

D = datetime.date


def sweep_on(day: datetime.date) -> None:
    with time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 8, tzinfo=datetime.UTC)
    ):
        run_sweep()


def test_the_partner_admin_is_told_60_days_before_the_certification_lapses(alice, northwind):
    certify(northwind, until=D(2027, 3, 1))
    sweep_on(D(2026, 12, 31))
    [notification] = Notification.objects.filter(recipient=alice)
    assert notification.title == "Your partner certification lapses in 60 days"


def test_the_14_day_alert_follows_the_60_day_one_and_each_comes_once(alice, northwind):
    certify(northwind, until=D(2027, 3, 1))
    for day in [D(2026, 12, 31), D(2027, 1, 2), D(2027, 2, 15), D(2027, 2, 16)]:
        sweep_on(day)
    titles = sorted(Notification.objects.filter(recipient=alice).values_list("title", flat=True))
    assert titles == [
        "Your partner certification lapses in 14 days",
        "Your partner certification lapses in 60 days",
    ]


def test_a_partner_user_who_is_no_admin_gets_no_alert(bob, northwind):
    certify(northwind, until=D(2027, 3, 1))
    sweep_on(D(2027, 2, 20))
    assert not Notification.objects.filter(recipient=bob).exists()


def test_a_certification_valid_beyond_60_days_sends_nothing(alice, northwind):
    certify(northwind, until=D(2027, 3, 2))
    sweep_on(D(2026, 12, 31))
    assert not Notification.objects.filter(recipient=alice).exists()


def test_a_renewed_certification_covers_the_one_that_lapses(alice, northwind):
    certify(northwind, until=D(2027, 3, 1))
    certify(northwind, until=D(2029, 3, 1))
    sweep_on(D(2027, 2, 20))
    assert not Notification.objects.filter(recipient=alice).exists()


def test_the_alert_is_written_in_the_recipients_language(alice, northwind):
    alice.language = "ja"
    alice.save(update_fields=["language"])
    certify(northwind, until=D(2027, 3, 1))
    sweep_on(D(2027, 2, 20))
    [notification] = Notification.objects.filter(recipient=alice)
    assert notification.title == "パートナー認定はあと 9 日で失効します"


def test_a_sweep_after_the_alert_sends_and_counts_nothing(alice, northwind):
    certify(northwind, until=D(2027, 3, 1))
    with time_machine.travel(datetime.datetime(2027, 2, 20, 8, tzinfo=datetime.UTC)):
        counts = [run_sweep()["due_work"]["points.certification_alerts"] for _ in range(2)]
    assert counts == [1, 0]


def test_a_repeated_run_costs_the_same_queries_for_more_partners_in_the_window(
    alice, northwind, charlie, tailspin, django_assert_max_num_queries
):
    certify(northwind, until=D(2027, 3, 1))
    with time_machine.travel(datetime.datetime(2027, 2, 20, 8, tzinfo=datetime.UTC)):
        certification_alerts_send(now=timezone.now())
        with CaptureQueriesContext(connection) as one_partner:
            certification_alerts_send(now=timezone.now())
        certify(tailspin, until=D(2027, 3, 1))
        assert certification_alerts_send(now=timezone.now()) == 1
        with django_assert_max_num_queries(len(one_partner)):
            assert certification_alerts_send(now=timezone.now()) == 0
