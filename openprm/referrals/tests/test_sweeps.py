"""The sweep expires received referrals past their expiry and tells the sender, once."""

import datetime

import pytest
import time_machine

from openprm.core.sweep import registered_finders, run_sweep
from openprm.notifications.models import Notification
from openprm.referrals.models import Referral, Substatus
from openprm.referrals.tests.factories import send_referral

pytestmark = pytest.mark.django_db

SENT = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def test_the_expiry_finder_is_registered_with_the_sweep():
    assert "referrals.expire" in registered_finders()


def test_a_referral_past_its_expiry_is_expired_and_the_sender_notified(
    sam, northwind, django_capture_on_commit_callbacks
):
    with time_machine.travel(SENT, tick=False):
        referral = send_referral(actor=sam, partner=northwind)
    with django_capture_on_commit_callbacks(execute=True):
        report = run_sweep(SENT + datetime.timedelta(days=14))
    assert report["due_work"]["referrals.expire"] == 1
    expired = Referral.objects.get(pk=referral.pk)
    assert expired.substatus == Substatus.EXPIRED
    assert expired.opportunity.state == "lost"
    assert expired.transitions.latest("created_at", "id").action == "expire"
    notice = Notification.objects.get(recipient=sam, kind="referral_answered")
    assert "expired" in notice.title


def test_a_referral_still_in_time_is_left_alone(sam, northwind):
    with time_machine.travel(SENT, tick=False):
        referral = send_referral(actor=sam, partner=northwind)
    run_sweep(SENT + datetime.timedelta(days=13, hours=23))
    assert Referral.objects.get(pk=referral.pk).substatus == Substatus.RECEIVED


def test_running_the_sweep_again_changes_and_sends_nothing_more(
    sam, northwind, django_capture_on_commit_callbacks
):
    with time_machine.travel(SENT, tick=False):
        send_referral(actor=sam, partner=northwind)
    later = SENT + datetime.timedelta(days=15)
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(later)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_sweep(later)["due_work"]["referrals.expire"] == 0
    assert Notification.objects.filter(recipient=sam).count() == 1
