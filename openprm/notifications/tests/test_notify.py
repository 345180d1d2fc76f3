from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openprm.core.sweep import run_sweep
from openprm.notifications.delivery import deliver_email
from openprm.notifications.kinds import REFERRAL_RECEIVED, TASK_REMINDER
from openprm.notifications.models import Notification, NotificationPreference
from openprm.notifications.services import notify
from openprm.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def remind(user, cause="task:1:reminder", **kwargs):
    return notify(recipient=user, kind=TASK_REMINDER, cause=cause, title="Call Contoso", **kwargs)


def test_notify_twice_for_one_cause_makes_one_notification_and_one_email(
    alice, django_capture_on_commit_callbacks, run_queued_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = remind(alice)
        second = remind(alice)
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    assert run_queued_tasks() == ["sent"]
    assert len(mail.outbox) == 1


def test_the_same_cause_notifies_each_recipient_once(alice, bob):
    remind(alice)
    remind(bob)
    remind(alice)
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == [
        "alice@northwind.example",
        "bob@northwind.example",
    ]


def test_database_refuses_a_second_row_for_one_cause(alice):
    remind(alice)
    with pytest.raises(IntegrityError):
        NotificationFactory.create(recipient=alice, cause="task:1:reminder")


def test_nothing_is_enqueued_when_the_surrounding_transaction_rolls_back(
    alice, django_capture_on_commit_callbacks
):
    def fail_after_notifying():
        with transaction.atomic():
            remind(alice)
            raise RuntimeError("the caller's service failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="service failed"),
    ):
        fail_after_notifying()
    assert callbacks == []
    assert Notification.objects.count() == 0


def test_email_has_the_notifications_stable_message_id(alice):
    notification = remind(alice, link="/deals/7/")
    assert deliver_email(notification.pk) == "sent"
    message = mail.outbox[0]
    assert message.extra_headers["Message-ID"] == notification.message_id
    assert message.to == ["alice@northwind.example"]
    assert message.subject == "Call Contoso"
    assert "http://127.0.0.1:8000/deals/7/" in message.body


def test_delivering_again_sends_nothing_more(alice):
    notification = remind(alice)
    assert deliver_email(notification.pk) == "sent"
    assert deliver_email(notification.pk) == "already_sent"
    assert len(mail.outbox) == 1


def test_email_is_skipped_when_the_user_turned_it_off(alice, run_queued_tasks):
    NotificationPreference.objects.create(user=alice, kind=TASK_REMINDER, email=False)
    notification = remind(alice)
    assert deliver_email(notification.pk) == "not_wanted"
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_preference_is_rechecked_when_the_task_runs(
    alice, django_capture_on_commit_callbacks, run_queued_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        remind(alice)
    NotificationPreference.objects.create(user=alice, kind=TASK_REMINDER, email=False)
    assert run_queued_tasks() == ["not_wanted"]
    assert mail.outbox == []


def test_in_app_off_keeps_the_notification_out_of_the_inbox(alice):
    NotificationPreference.objects.create(user=alice, kind=REFERRAL_RECEIVED, in_app=False)
    notification = notify(recipient=alice, kind=REFERRAL_RECEIVED, cause="r:1", title="New")
    assert notification.in_app is False


def test_a_process_already_sending_is_not_doubled(alice):
    notification = remind(alice)
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=timezone.now())
    assert deliver_email(notification.pk) == "in_progress"
    assert mail.outbox == []


def test_failed_send_releases_the_claim_for_a_later_retry(alice):
    notification = remind(alice)
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")),
        pytest.raises(OSError, match="smtp down"),
    ):
        deliver_email(notification.pk)
    assert Notification.objects.get().email_claimed_at is None
    assert deliver_email(notification.pk) == "sent"


def test_unknown_kind_is_refused(alice):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(recipient=alice, kind="nope", cause="x", title="x")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/", "ftp://x"])
def test_link_must_be_a_path_or_a_web_address(alice, link):
    with pytest.raises(ValidationError):
        remind(alice, link=link)


def test_sweep_mails_what_the_queue_never_delivered(alice):
    notification = remind(alice)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    report = run_sweep()
    assert report["due_work"]["notification_email"] == 1
    assert len(mail.outbox) == 1
    assert run_sweep()["due_work"]["notification_email"] == 0
    assert len(mail.outbox) == 1


def test_sweep_leaves_fresh_and_opted_out_notifications_alone(alice, bob):
    remind(alice, cause="fresh")
    NotificationPreference.objects.create(user=bob, kind=TASK_REMINDER, email=False)
    old = remind(bob, cause="old")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert run_sweep()["due_work"]["notification_email"] == 0
    assert mail.outbox == []


def test_sweep_takes_over_a_stale_claim_of_a_dead_process(alice, settings):
    notification = remind(alice)
    long_ago = timezone.now() - timedelta(minutes=settings.OPENPRM_STALE_TASK_MINUTES + 1)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=long_ago, email_claimed_at=long_ago
    )
    assert run_sweep()["due_work"]["notification_email"] == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == notification.message_id
