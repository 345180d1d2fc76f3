"""Outbound webhooks: an organization's subscriptions, the deliveries of events to them, and
every attempt to send one.

A delivery is written in the transaction of the change it reports (see `producer`), so no event
is lost between the change and its delivery; the worker sends it (see `delivery`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openprm.core.models import VersionedModel


class EventType(models.TextChoices):
    """What a subscription can ask for; `payloads.TYPE_OF_KIND` says which domain events make
    each one."""

    DEAL_CREATED = "deal.created", _("Deal created")
    DEAL_UPDATED = "deal.updated", _("Deal updated")
    DEAL_WON = "deal.won", _("Deal won")
    DEAL_LOST = "deal.lost", _("Deal lost")
    SHARED_NOTE_ADDED = "shared_note.added", _("Shared note added")
    REFERRAL_RECEIVED = "referral.received", _("Referral received")
    REFERRAL_ACCEPTED = "referral.accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral.declined", _("Referral declined")
    REFERRAL_EXPIRED = "referral.expired", _("Referral expired")
    REFERRAL_WON = "referral.won", _("Referral won")
    REFERRAL_LOST = "referral.lost", _("Referral lost")
    REGISTRATION_DECIDED = "registration.decided", _("Registration decided")
    TASK_DUE = "task.due", _("Task due")
    TIER_CHANGED = "tier.changed", _("Tier changed")
    POINTS_POSTED = "points.posted", _("Points posted")


# A test delivery, sent on request; never subscribed to.
PING = "ping"


class Webhook(VersionedModel):
    """A subscription: where an organization wants which events. The secret signs every
    delivery, so it is kept readable (unlike API token hashes); README.md says so."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(_("payload URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    # Deliveries in a row that failed for good; reset by a delivered one.
    failed_deliveries = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(_("disabled after failures"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.description or self.url

    @property
    def event_labels(self) -> list[str]:
        return [str(EventType(value).label) for value in self.event_types]

    @property
    def secret_hint(self) -> str:
        return f"{self.secret[:10]}…"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One event for one subscription, with the exact body every attempt sends.

    `chain` names the object the event is about: a subscription's deliveries of one chain go
    out in event order, and a pending one holds back the later ones.
    """

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    event_type = models.CharField(_("event"), max_length=40)
    chain = models.CharField(max_length=150)
    body = models.TextField()
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts_left = models.PositiveSmallIntegerField()
    next_attempt_at = models.DateTimeField()
    # Set while a worker sends it; a claim older than a stale task is taken over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-event_id", "-id"]
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["webhook", "chain", "event"],
                name="webhook_pending_chain",
                condition=Q(state="pending"),
            ),
            models.Index(
                fields=["next_attempt_at"], name="webhook_pending_due", condition=Q(state="pending")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.webhook_id}"

    @property
    def is_ping(self) -> bool:
        return self.event_type == PING

    @property
    def event_label(self) -> str:
        return str(_("Test ping") if self.is_ping else EventType(self.event_type).label)


class AttemptError(models.TextChoices):
    """Why an attempt failed, so the log can say it in the reader's language."""

    HTTP_STATUS = "http_status", _("The receiver answered with an error status")
    REFUSED_ADDRESS = "refused_address", _("The address is private or reserved")
    DNS = "dns", _("The host name could not be resolved")
    CONNECT = "connect", _("Could not connect")
    TIMEOUT = "timeout", _("No answer in time")
    TLS = "tls", _("TLS error")
    OTHER = "other", _("Connection error")


class Attempt(models.Model):
    """One try at sending a delivery, as the log shows it."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(_("sent at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"))
    error = models.CharField(max_length=20, choices=AttemptError.choices, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.started_at:%Y-%m-%d %H:%M:%S}"
