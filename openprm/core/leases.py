"""Leases: work that exactly one process of an installation does at a time.

With several `openprm worker` processes (each a task worker and a scheduler) against one
database, the periodic sweep must not run twice at once, and one enqueue per period is enough.
A lease is a row per name whose holder and expiry change in one conditional UPDATE: on
PostgreSQL a second UPDATE of the same row waits for the first to commit and then finds the
lease taken; on SQLite writers are serialised anyway. Unlike a session advisory lock it works
on both databases and through a transaction-mode connection pooler, and a lease whose holder
died (kill -9, a lost host) simply expires.
"""

import uuid
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from openprm.core.models import Lease

# What a released lease expires at: before any clock a caller may run on.
RELEASED = datetime(1970, 1, 1, tzinfo=UTC)


def acquire(name: str, seconds: float) -> str | None:
    """The new holder's token when the lease was free (or expired), None while another holds
    it. The lease then stands for `seconds` unless released earlier."""
    now = timezone.now()
    if not Lease.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                Lease.objects.create(name=name, holder="", expires_at=RELEASED)
        except IntegrityError:
            pass  # another process created it just now: the UPDATE below decides
    holder = uuid.uuid4().hex
    taken = Lease.objects.filter(name=name, expires_at__lte=now).update(
        holder=holder, expires_at=now + timedelta(seconds=seconds)
    )
    return holder if taken else None


def renew(name: str, holder: str, seconds: float) -> bool:
    """Another `seconds` for a holder still holding the lease; False once it lost it."""
    until = timezone.now() + timedelta(seconds=seconds)
    return bool(Lease.objects.filter(name=name, holder=holder).update(expires_at=until))


def release(name: str, holder: str) -> None:
    """Frees the lease if `holder` still holds it (not once it expired and another took it)."""
    Lease.objects.filter(name=name, holder=holder).update(holder="", expires_at=RELEASED)
