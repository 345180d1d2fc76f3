import pytest
from django.urls import reverse

from openprm.notifications.kinds import TASK_REMINDER
from openprm.notifications.models import Notification, NotificationPreference
from openprm.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice, backend=MODEL_BACKEND)
    return client


def test_inbox_shows_own_notifications_and_not_another_partners(as_alice, alice, charlie):
    NotificationFactory.create(recipient=alice, title="Call Contoso tomorrow")
    NotificationFactory.create(recipient=charlie, title="Tailspin only")
    page = as_alice.get(reverse("notifications:inbox")).content.decode()
    assert "Call Contoso tomorrow" in page
    assert "Tailspin only" not in page


def test_inbox_needs_sign_in(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_header_shows_the_unread_count(as_alice, alice):
    NotificationFactory.create_batch(3, recipient=alice)
    NotificationFactory.create(recipient=alice, read_at="2026-01-01T00:00:00Z")
    page = as_alice.get(reverse("notifications:inbox")).content.decode()
    assert '<span class="badge rounded-pill text-bg-danger">3<span' in page


def test_unread_tab_lists_only_unread(as_alice, alice):
    NotificationFactory.create(recipient=alice, title="Still new")
    NotificationFactory.create(recipient=alice, title="Seen before", read_at="2026-01-01T00:00:00Z")
    page = as_alice.get(reverse("notifications:inbox") + "?unread=1").content.decode()
    assert "Still new" in page
    assert "Seen before" not in page


def test_mark_one_read(as_alice, alice):
    notification = NotificationFactory.create(recipient=alice)
    response = as_alice.post(reverse("notifications:mark-read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_another_users_notification_is_404(as_alice, charlie):
    theirs = NotificationFactory.create(recipient=charlie)
    response = as_alice.post(reverse("notifications:mark-read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_leaves_other_users_alone(as_alice, alice, bob):
    NotificationFactory.create_batch(2, recipient=alice)
    bobs = NotificationFactory.create(recipient=bob)
    as_alice.post(reverse("notifications:mark-all-read"))
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_mark_read_refuses_get_and_leaves_it_unread(as_alice, alice):
    notification = NotificationFactory.create(recipient=alice)
    response = as_alice.get(reverse("notifications:mark-read", args=[notification.pk]))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_preferences_page_saves_choices(as_alice, alice):
    page = as_alice.get(reverse("notifications:preferences")).content.decode()
    assert "Task reminders" in page
    assert 'for="id_task_reminder__email"' in page
    response = as_alice.post(reverse("notifications:preferences"), {"task_reminder__in_app": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=alice, kind=TASK_REMINDER)
    assert (preference.email, preference.in_app) == (False, True)
    shared = NotificationPreference.objects.get(user=alice, kind="shared_note")
    assert (shared.email, shared.in_app) == (False, False)


def test_inbox_query_count_does_not_grow_with_notifications(
    as_alice, alice, django_assert_max_num_queries
):
    NotificationFactory.create_batch(20, recipient=alice)
    with django_assert_max_num_queries(8):
        assert as_alice.get(reverse("notifications:inbox")).status_code == 200
