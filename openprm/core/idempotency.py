"""`Idempotency-Key` for API writes: a retried POST returns the first response, creates nothing.

It is middleware so that every create route gets it without each handler remembering to.
A response marked `Cache-Control: no-store` (one that carries a secret, such as a new API
token) is never written down: a retry learns that the object exists, not its secret.
"""

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from openprm.core.models import IdempotencyKey

API_PREFIX = "/api/v1/"
HEADER = "HTTP_IDEMPOTENCY_KEY"
# What a create's answer carries besides its body: a replay without the ETag would leave the
# client unable to update what it created.
REPLAYED_HEADERS = ("ETag", "Location")


def error(status: int, code: str, message: str) -> JsonResponse:
    body = {
        "code": code,
        "message": message,
        "errors": [{"field": "Idempotency-Key", "message": message, "code": code}],
    }
    return JsonResponse(body, status=status)


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
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
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
        try:
            with transaction.atomic():
                record, created = IdempotencyKey.objects.get_or_create(
                    identity=identity, key=key, defaults={"fingerprint": fingerprint}
                )
        except IntegrityError:
            return error(409, "in_progress", "A request with this Idempotency-Key is running.")
        if not created:
            return self.replay(record, fingerprint)
        response = self.get_response(request)
        if 200 <= response.status_code < 300 and carries_secret(response):
            record.status_code = response.status_code
            record.withheld = True
            record.save(update_fields=["status_code", "withheld"])
        elif 200 <= response.status_code < 300 and not response.streaming:
            record.status_code = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = response.content
            record.headers = {name: response[name] for name in REPLAYED_HEADERS if name in response}
            record.save(update_fields=["status_code", "content_type", "body", "headers"])
        else:
            record.delete()
        return response

    @staticmethod
    def replay(record: IdempotencyKey, fingerprint: str) -> HttpResponse:
        if record.fingerprint != fingerprint:
            return error(
                422, "key_reused", "This Idempotency-Key was used with a different request."
            )
        if record.status_code is None:
            return error(409, "in_progress", "A request with this Idempotency-Key is running.")
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
