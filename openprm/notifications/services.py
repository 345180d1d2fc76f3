"""Writes for notifications: create once per cause, deliver the email at least once.

Notifications are consequences of domain events that their cause already recorded, so these
services write no events of their own.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from openprm.accounts.models import User
from openprm.notifications.delivery import preference_for, wants_email
from openprm.notifications.kinds import KINDS
from openprm.notifications.models import Notification, NotificationPreference
from openprm.notifications.tasks import send_notification_email


def check_link(link: str) -> None:
    """Links are shown and mailed: a path on this site or an http(s) address, nothing else."""
    if link and not (
        (link.startswith("/") and not link.startswith("//"))
        or link.startswith(("https://", "http://"))
    ):
        raise ValidationError({"link": "A link is a path on this site or an http(s) address."})


def notify(
    *, recipient: User, kind: str, cause: str, title: str, body: str = "", link: str = ""
) -> Notification:
    """The one way to notify someone. Calling it again for the same cause (a retried task, a
    repeated sweep) returns the first notification and sends nothing more."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; register it in kinds.py.")
    existing = Notification.objects.filter(recipient=recipient, cause=cause).first()
    if existing is not None:
        return existing
    check_link(link)
    preference = preference_for(recipient, kind)
    notification = Notification(
        recipient=recipient,
        organization=recipient.organization,
        kind=kind,
        cause=cause,
        title=" ".join(title.split())[:200],
        body=body,
        link=link,
        in_app=preference.in_app,
    )
    notification.full_clean(exclude=["recipient", "organization"], validate_unique=False)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return Notification.objects.get(recipient=recipient, cause=cause)
    if wants_email(notification):
        notification_id = notification.pk
        transaction.on_commit(lambda: send_notification_email.enqueue(notification_id))
    return notification


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user: User, choices: dict[str, tuple[bool, bool]]) -> None:
    """`choices` maps a kind to (email, in_app)."""
    for kind, (email, in_app) in choices.items():
        if kind not in KINDS:
            raise ValidationError({"kind": f"Unknown notification kind {kind!r}."})
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": email, "in_app": in_app}
        )
