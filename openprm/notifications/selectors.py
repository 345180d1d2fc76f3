"""Reads for notifications: a user only ever sees their own."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.notifications.delivery import claim_lease
from openprm.notifications.kinds import KINDS, NotificationKind
from openprm.notifications.models import Notification, NotificationPreference

# The sweep mails what the task queue missed, after this grace period and up to this age.
EMAIL_GRACE = timedelta(minutes=1)
EMAIL_GIVE_UP = timedelta(days=2)


def inbox(*, user: User, unread: bool | None = None) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(recipient=user, in_app=True)
    if unread is True:
        queryset = queryset.filter(read_at__isnull=True)
    elif unread is False:
        queryset = queryset.filter(read_at__isnull=False)
    return queryset


def unread_count(*, user: User | AnonymousUser | None) -> int:
    if not isinstance(user, User):
        return 0
    return inbox(user=user, unread=True).count()


def notification_get(*, user: User, notification_id: int) -> Notification:
    found = inbox(user=user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound()
    return found


def preferences(*, user: User) -> list[tuple[NotificationKind, bool, bool]]:
    """Every kind with the user's (email, in_app) choice; a kind without a row is on."""
    saved = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for kind in KINDS.values():
        preference = saved.get(kind.code)
        rows.append(
            (
                kind,
                preference.email if preference else True,
                preference.in_app if preference else True,
            )
        )
    return rows


def email_overdue(*, now: datetime) -> QuerySet[Notification]:
    """Notifications whose email is wanted, was never sent, and no live process is sending."""
    opted_out = NotificationPreference.objects.filter(
        user=OuterRef("recipient"), kind=OuterRef("kind"), email=False
    )
    return (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lt=now - EMAIL_GRACE,
            created_at__gte=now - EMAIL_GIVE_UP,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .exclude(email_claimed_at__gte=now - claim_lease())
        .exclude(Exists(opted_out))
        .order_by("created_at")
    )


def already_notified(
    *, recipient_ids: Iterable[int], causes: Iterable[str]
) -> set[tuple[int, str]]:
    """Which of these recipients were notified for which of these causes: one read, so a
    repeated sweep skips what `notify` would return unchanged without asking per person."""
    return set(
        Notification.objects.filter(
            recipient_id__in=list(recipient_ids), cause__in=list(causes)
        ).values_list("recipient_id", "cause")
    )
