"""`Idempotency-Key` for API writes: a retried POST returns the first response, creates nothing.

It is middleware so that every create route gets it without each handler remembering to.
A response marked `Cache-Control: no-store` (one that carries a secret, such as a new API
token) is never written down: a retry learns that the object exists, not its secret.

A request first claims its key in a short transaction of its own, so a concurrent duplicate sees
the claim at once and gets a 409. It then runs in one transaction that holds the key's row (a row
lock on PostgreSQL, the database's write lock on SQLite) and writes its response there. A worker
killed mid-request therefore leaves no half: its work and its response roll back together, its
connection's lock goes with it, and only the claim remains. A claim that no transaction holds
stands for LEASE, the time a request needs between claiming and taking the lock; after that a
retry takes the key over and runs the request. A request that outlives its lease is still safe:
the takeover needs the lock it holds until it has finished (PostgreSQL skips a locked row and
answers 409; SQLite waits for the write lock, then finds the response written).
"""

import hashlib
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django.http import HttpRequest, HttpResponse, JsonResponse

from openprm.core.models import IdempotencyKey

API_PREFIX = "/api/v1/"
HEADER = "HTTP_IDEMPOTENCY_KEY"
# What a create's answer carries besides its body: a replay without the ETag would leave the
# client unable to update what it created.
REPLAYED_HEADERS = ("ETag", "Location")
# How long after a request died its key can be retried (README.md says so).
LEASE = timedelta(seconds=10)


def error(status: int, code: str, message: str) -> JsonResponse:
    body = {
        "code": code,
        "message": message,
        "errors": [{"field": "Idempotency-Key", "message": message, "code": code}],
    }
    return JsonResponse(body, status=status)


def in_progress() -> JsonResponse:
    return error(409, "in_progress", "A request with this Idempotency-Key is running.")


def requester_identity(request: HttpRequest) -> str | None:
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:64]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def carries_secret(response: HttpResponse) -> bool:
    return "no-store" in response.get("Cache-Control", "")


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER)
        if request.method != "POST" or not key or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        identity = requester_identity(request)
        if identity is None:
            return self.get_response(request)
        if len(key) > 255:
            return error(422, "too_long", "Idempotency-Key is longer than 255 characters.")
        fingerprint = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
        holder = uuid.uuid4().hex
        try:
            record, created = IdempotencyKey.objects.get_or_create(
                identity=identity,
                key=key,
                defaults={
                    "fingerprint": fingerprint,
                    "holder": holder,
                    "locked_until": Now() + LEASE,
                },
            )
        except IntegrityError:
            return in_progress()
        if not created:
            if record.fingerprint != fingerprint:
                return error(
                    422, "key_reused", "This Idempotency-Key was used with a different request."
                )
            if record.status_code is not None:
                return self.replay(record)
            if not self.take_over(record, holder):
                return in_progress()
        return self.run(request, record.pk, holder)

    @staticmethod
    def take_over(record: IdempotencyKey, holder: str) -> bool:
        """Claims the key of a request that died: its lease ran out and no transaction holds it."""
        with transaction.atomic():
            abandoned = IdempotencyKey.objects.select_for_update(skip_locked=True).filter(
                pk=record.pk, status_code__isnull=True, locked_until__lt=Now()
            )
            if not abandoned.exists():
                return False
            abandoned.update(holder=holder, locked_until=Now() + LEASE)
            return True

    def run(self, request: HttpRequest, pk: int, holder: str) -> HttpResponse:
        with transaction.atomic():
            record = IdempotencyKey.objects.select_for_update().filter(pk=pk, holder=holder).first()
            if record is None:
                return in_progress()  # taken over while this request waited for the lock
            response = self.get_response(request)
            if 200 <= response.status_code < 300 and carries_secret(response):
                record.status_code = response.status_code
                record.withheld = True
                record.save(update_fields=["status_code", "withheld"])
                return response
            if 200 <= response.status_code < 300 and not response.streaming:
                record.status_code = response.status_code
                record.content_type = response.get("Content-Type", "")
                record.body = response.content
                record.headers = {
                    name: response[name] for name in REPLAYED_HEADERS if name in response
                }
                record.save(update_fields=["status_code", "content_type", "body", "headers"])
                return response
        # After the request's transaction, which a failed request may have left unusable.
        IdempotencyKey.objects.filter(pk=pk, holder=holder, status_code__isnull=True).delete()
        return response

    @staticmethod
    def replay(record: IdempotencyKey) -> HttpResponse:
        if record.withheld:
            return error(
                409,
                "not_replayable",
                "The request with this Idempotency-Key succeeded, but its response carried a "
                "secret that is not kept: list the objects to find what it created.",
            )
        response = HttpResponse(
            bytes(record.body or b""), status=record.status_code, content_type=record.content_type
        )
        for name, value in record.headers.items():
            response[name] = value
        response["Idempotent-Replayed"] = "true"
        return response
