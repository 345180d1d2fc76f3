"""What every API router shares: strict schemas, the one error format, ETags and If-Match."""

import re
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict

from openprm.core.errors import AppError, PreconditionFailed
from openprm.core.models import VersionedModel


class StrictSchema(Schema):
    """Request bodies: unknown keys and non-object bodies are a 422, never silently accepted."""

    model_config = ConfigDict(extra="forbid")


class FieldErrorOut(Schema):
    field: str
    message: str
    code: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldErrorOut] = []


# Declared on every operation so the OpenAPI document names every answer a client can get.
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut,
}  # fmt: skip
UPDATE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 412: ErrorOut}


def error_body(code: str, message: str, errors: list[dict[str, str]] | None = None) -> dict:
    return {"code": code, "message": message, "errors": errors or []}


def field_path(loc: tuple | list) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[2:] if parts[0] == "body" and len(parts) > 2 else parts[1:]
    return ".".join(parts) or "body"


def row_message(index: int, field: str, message: str) -> str:
    """Bulk bodies (a list of rows) name the row in the message too, not only in the path."""
    return _("Row %(index)s, %(field)s: %(message)s") % {
        "index": index,
        "field": field,
        "message": message,
    }


def validation_message(loc: tuple | list, message: str) -> str:
    parts = list(loc)
    if len(parts) > 2 and parts[0] == "body" and isinstance(parts[2], int):
        return row_message(parts[2], ".".join(str(part) for part in parts[3:]) or "row", message)
    return message


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": field_path(e.get("loc", ())),
             "message": validation_message(e.get("loc", ()), e.get("msg", "")),
             "code": e.get("type", "invalid")}
            for e in exc.errors
        ]  # fmt: skip
        return respond(request, 422, error_body("validation_error", "Invalid input.", errors))

    @api.exception_handler(ValidationError)
    def django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        if hasattr(exc, "error_dict"):
            for field, field_errors in exc.error_dict.items():
                for err in field_errors:
                    message = err.message % err.params if err.params else err.message
                    errors.append(
                        {"field": field, "message": str(message), "code": err.code or "invalid"}
                    )
        else:
            errors = [{"field": "__all__", "message": str(m), "code": "invalid"} for m in exc]
        first = errors[0]["message"] if errors else "Invalid input."
        return respond(request, 422, error_body("validation_error", first, errors))

    @api.exception_handler(AppError)
    def app_error(request: HttpRequest, exc: AppError) -> HttpResponse:
        fields = (
            [{"field": exc.field, "message": exc.message, "code": exc.code}] if exc.field else []
        )
        return respond(request, exc.status, error_body(exc.code, exc.message, fields))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, error_body("not_found", "Not found."))

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, error_body("not_found", "Not found."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 401, error_body("unauthenticated", "Authentication required."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = "malformed_json" if exc.status_code == 400 else "error"
        return respond(request, exc.status_code, error_body(code, str(exc)))

    @api.exception_handler(OperationalError)
    def busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        if "locked" not in str(exc):
            raise exc
        return respond(request, 409, error_body("busy", "The database is busy; retry."))


IF_MATCH = re.compile(r'^(?:W/)?"(?P<pk>[^".]+)\.(?P<version>\d+)"$')


def expected_version(request: HttpRequest) -> int | None:
    """The version named by If-Match; None when the client sent none."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return None
    match = IF_MATCH.match(header.strip())
    if not match:
        raise PreconditionFailed("If-Match does not name a version of this object.")
    return int(match["version"])


def with_etag(response: HttpResponse, obj: VersionedModel) -> Any:
    response["ETag"] = obj.etag
    return obj
