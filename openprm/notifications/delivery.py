"""Email delivery of notifications: at least once, with one Message-ID per notification."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from openprm.notifications.models import Notification, NotificationPreference


def preference_for(user: Any, kind: str) -> NotificationPreference:
    found = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return found or NotificationPreference(user=user, kind=kind)


def wants_email(notification: Notification) -> bool:
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return False
    return preference_for(recipient, notification.kind).email


def claim_lease() -> timedelta:
    """A claim older than a stale task is taken over: its process is taken to be dead."""
    return timedelta(minutes=settings.OPENPRM_STALE_TASK_MINUTES)


def absolute(link: str) -> str:
    return settings.SITE_URL.rstrip("/") + link if link.startswith("/") else link


def build_email(notification: Notification) -> EmailMessage:
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        body = render_to_string(
            "notifications/email.txt",
            {
                "notification": notification,
                "link": absolute(notification.link) if notification.link else "",
                "preferences_url": absolute(reverse("notifications:preferences")),
            },
        )
    return EmailMessage(
        subject=notification.title,
        body=body,
        to=[recipient.email],
        headers={"Message-ID": notification.message_id},
    )


def deliver_email(notification_id: int, *, now: datetime | None = None) -> str:
    """Send one notification's email unless it was sent, is not wanted any more, or another
    process is sending it now. Safe to call any number of times: a crash between sending and
    recording can only repeat the mail, with the same Message-ID."""
    now = now or timezone.now()
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return "missing"
    if notification.emailed_at is not None:
        return "already_sent"
    if not wants_email(notification):
        return "not_wanted"
    claimed = (
        Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True)
        .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - claim_lease()))
        .update(email_claimed_at=now)
    )
    if not claimed:
        return "in_progress"
    try:
        build_email(notification).send()
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(email_claimed_at=None)
        raise
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return "sent"
