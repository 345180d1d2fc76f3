"""Shared base models and the cross-cutting tables: domain events and idempotency keys."""

from django.conf import settings
from django.db import models

from openprm.core.errors import PreconditionFailed


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimestampedModel):
    """Optimistic concurrency: clients send back the version they read (ETag / If-Match)."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    @property
    def etag(self) -> str:
        return f'"{self.pk}.{self.version}"'

    def check_version(self, expected: int | None) -> None:
        """Call on a row locked in the current transaction, before changing it."""
        if expected is not None and expected != self.version:
            raise PreconditionFailed()

    def bump_version(self) -> None:
        self.version += 1


class Event(models.Model):
    """What happened, to which object, by whom; written in the same transaction as the change."""

    kind = models.CharField(max_length=80, db_index=True)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.CASCADE
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}:{self.object_id}"


class IdempotencyKey(models.Model):
    """The first response to a create, replayed when a client retries with the same key."""

    identity = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(null=True)
    headers = models.JSONField(default=dict, blank=True)  # those of REPLAYED_HEADERS it had
    # The first response carried a secret (Cache-Control: no-store) and was not kept.
    withheld = models.BooleanField(default=False)
    # The request allowed to run this key, and until when its claim stands while no transaction
    # holds the row; see openprm.core.idempotency.
    holder = models.CharField(max_length=32, blank=True)
    locked_until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["identity", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Lease(models.Model):
    """A named piece of work that one process at a time may do, until `expires_at`: the sweep
    (several workers) and its enqueueing (several schedulers); see openprm.core.leases."""

    name = models.CharField(max_length=80, primary_key=True)
    holder = models.CharField(max_length=32, blank=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class SweepMark(models.Model):
    """How far one due-work finder of the sweep has looked (openprm.core.marks): its next run
    looks only at rows come due or saved since, found by indexes, never at every row again."""

    name = models.CharField(max_length=60, primary_key=True)
    # The `now` of the last complete run: everything due up to then was done.
    due_through = models.DateTimeField()
    # The clock when that run began: rows saved before then (less a margin) were seen.
    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.due_through:%Y-%m-%d %H:%M}"
