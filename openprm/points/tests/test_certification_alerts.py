"""Certification alerts 60 and 14 days before a partner's last valid certification lapses."""

import datetime

import pytest
import time_machine

from openprm.core.sweep import run_sweep
from openprm.notifications.models import Notification
from openprm.points.tests.factories import certify

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
