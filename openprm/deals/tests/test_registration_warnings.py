"""The expiry warning is sent once per registration and period, and a sweep with nobody left to
warn costs one query however many registrations are about to expire."""

import datetime

import pytest

from openprm.deals.registrations import services as registrations
from openprm.deals.tests.factories import create_deal
from openprm.notifications.models import Notification

pytestmark = pytest.mark.django_db

CREATED = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
WARNING_DAY = datetime.datetime(2026, 3, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def expiring(alice, time_machine):
    time_machine.move_to(CREATED, tick=False)
    registration = create_deal(actor=alice).opportunity.registrations.get()
    time_machine.move_to(WARNING_DAY, tick=False)
    return registration


def test_a_second_warning_run_warns_nobody(expiring):
    assert registrations.registrations_warn(now=WARNING_DAY) == 1
    assert registrations.registrations_warn(now=WARNING_DAY) == 0


def test_a_run_with_nobody_left_to_warn_is_one_query(alice, expiring, django_assert_num_queries):
    create_deal(actor=alice, name="Second")
    registrations.registrations_warn(now=WARNING_DAY)
    with django_assert_num_queries(1):
        registrations.registrations_warn(now=WARNING_DAY)


def test_an_extended_registration_is_warned_again_before_its_new_expiry(
    alice, rita, expiring, time_machine
):
    registrations.registrations_warn(now=WARNING_DAY)
    registrations.extension_request(registration=expiring, actor=alice, reason="Board meets")
    registrations.extension_decide(registration=expiring, actor=rita, grant=True)
    expiring.refresh_from_db()
    before_new_expiry = expiring.expires_at - datetime.timedelta(days=3)
    time_machine.move_to(before_new_expiry, tick=False)
    assert registrations.registrations_warn(now=before_new_expiry) == 1
    warnings = Notification.objects.filter(recipient=alice, title__contains="expires")
    assert warnings.count() == 2
