"""The notice 30 days before a batch of sold points expires ("Tier changes and expiring points")."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from openprm.core.sweep import run_sweep
from openprm.notifications.kinds import TIER_AND_POINTS
from openprm.notifications.selectors import inbox
from openprm.notifications.services import preferences_save
from openprm.points.models import ExpiryWarning, PointEntry
from openprm.points.tests.factories import sell

pytestmark = pytest.mark.django_db

D = datetime.date
# Sold points count for 12 months: a sale closed on 1 December 2025 expires on 1 December 2026.
CLOSED = D(2025, 12, 1)
EXPIRES = D(2026, 12, 1)


def sweep_on(day: datetime.date, hour: int = 8) -> dict:
    with time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)
    ):
        return run_sweep()


def sweep_twice_on(day: datetime.date) -> None:
    """The second sweep also mails what the first notified (the queue is not run here)."""
    sweep_on(day, hour=8)
    sweep_on(day, hour=9)


def days_before_expiry(days: int) -> datetime.date:
    return EXPIRES - datetime.timedelta(days=days)


def mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


@pytest.fixture
def batch(northwind):
    """Two sales closed the same day: 100 + 50 sold points expiring on 1 December 2026."""
    sell(northwind, mrr_minor=2000_00, closed_on=CLOSED)
    sell(northwind, mrr_minor=1000_00, closed_on=CLOSED)
    assert set(PointEntry.objects.values_list("expires_on", flat=True)) == {EXPIRES}
    return northwind


def test_a_batch_30_days_from_expiry_tells_the_partners_users_in_the_app(batch, alice, bob):
    sweep_twice_on(days_before_expiry(30))
    for user in (alice, bob):
        [notice] = inbox(user=user)
        assert notice.title == "150.00 sold points expire on Dec. 1, 2026"
        assert "no longer count toward your tier" in notice.body
        assert notice.link == reverse("points:tier")


def test_the_email_names_the_points_the_day_and_links_to_the_tier_page(batch, alice):
    sweep_twice_on(days_before_expiry(30))
    [message] = mails_to(alice)
    assert message.subject == "150.00 sold points expire on Dec. 1, 2026"
    assert "http://127.0.0.1:8000/tier/" in message.body


def test_the_inbox_page_shows_the_notice(batch, alice, client):
    sweep_on(days_before_expiry(30))
    client.force_login(alice)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "150.00 sold points expire on Dec. 1, 2026" in page


def test_running_the_sweep_again_does_not_notify_again(batch, alice):
    assert sweep_on(days_before_expiry(30))["due_work"]["points.expiry_warnings"] == 1
    for day in [days_before_expiry(30), days_before_expiry(29), days_before_expiry(5)]:
        assert sweep_on(day, hour=10)["due_work"]["points.expiry_warnings"] == 0
    assert inbox(user=alice).count() == 1
    assert len(mails_to(alice)) == 1
    assert ExpiryWarning.objects.get().points_hundredths == 150_00


def test_a_user_with_the_preference_off_gets_nothing(batch, alice, bob):
    preferences_save(user=bob, choices={TIER_AND_POINTS: (False, False)})
    sweep_twice_on(days_before_expiry(30))
    assert not inbox(user=bob).exists()
    assert mails_to(bob) == []
    assert inbox(user=alice).count() == 1


def test_another_partners_users_get_nothing(batch, alice, charlie):
    sweep_twice_on(days_before_expiry(30))
    assert not inbox(user=charlie).exists()
    assert mails_to(charlie) == []


def test_a_batch_more_than_30_days_away_gets_nothing(batch, alice):
    sweep_twice_on(days_before_expiry(31))
    assert not inbox(user=alice).exists()
    assert not ExpiryWarning.objects.exists()


def test_each_expiry_day_is_its_own_batch(batch, alice):
    sell(batch, mrr_minor=2000_00, closed_on=CLOSED + datetime.timedelta(days=10))
    sweep_on(days_before_expiry(30))
    sweep_on(days_before_expiry(20))
    assert sorted(inbox(user=alice).values_list("title", flat=True)) == [
        "100.00 sold points expire on Dec. 11, 2026",
        "150.00 sold points expire on Dec. 1, 2026",
    ]


def test_a_batch_found_late_is_still_announced_before_it_expires(batch, alice):
    sweep_on(days_before_expiry(3))
    assert inbox(user=alice).count() == 1


def test_points_already_expired_are_not_announced(batch, alice):
    sweep_on(EXPIRES)
    assert not inbox(user=alice).exists()


def test_the_notice_is_written_in_the_recipients_language(batch, alice):
    alice.language = "ja"
    alice.save(update_fields=["language"])
    sweep_on(days_before_expiry(30))
    [notice] = inbox(user=alice)
    assert notice.title == "150.00 販売ポイントが 2026年12月1日 に失効します"


def test_a_deactivated_partner_is_not_told(batch, alice):
    batch.is_active = False
    batch.save(update_fields=["is_active"])
    sweep_on(days_before_expiry(30))
    assert not inbox(user=alice).exists()
