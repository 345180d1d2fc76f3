"""Reads for webhooks, always scoped: a partner admin sees its partner's subscriptions, the
program admin the vendor's; anyone else, and another organization's subscription, a 404."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.webhooks.models import Attempt, Delivery, Webhook


def can_manage_webhooks(user: User | AnonymousUser) -> bool:
    return bool(
        isinstance(user, User)
        and user.is_active
        and (user.is_partner_admin or user.is_program_admin)
    )


def webhooks_for_user(*, user: User) -> QuerySet[Webhook]:
    if not can_manage_webhooks(user):
        raise NotFound()
    return Webhook.objects.filter(organization=user.organization)


def webhook_get(*, user: User, webhook_id: int) -> Webhook:
    webhook = webhooks_for_user(user=user).filter(pk=webhook_id).first()
    if webhook is None:
        raise NotFound()
    return webhook


def deliveries_of(*, webhook: Webhook) -> QuerySet[Delivery]:
    """Newest event first, each with its attempts."""
    return Delivery.objects.filter(webhook=webhook).prefetch_related(
        Prefetch("attempts", queryset=Attempt.objects.order_by("started_at", "id"))
    )


def delivery_get(*, user: User, delivery_id: int) -> Delivery:
    delivery = (
        Delivery.objects.filter(pk=delivery_id, webhook__in=webhooks_for_user(user=user))
        .select_related("webhook")
        .first()
    )
    if delivery is None:
        raise NotFound()
    return delivery
