"""What every API router shares: strict schemas, the one error format, ETags and If-Match."""

import datetime
import math
import re
import types
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import (
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)
from pydantic_core import PydanticCustomError

from openprm.core.dates import EARLIEST_DAY, out_of_range_message, showable, too_early_message
from openprm.core.errors import AppError, PreconditionFailed, TooManyRequests, field_error
from openprm.core.models import VersionedModel
from openprm.core.throttling import AnonymousRateThrottle

JSON_SCALARS: dict[type, str] = {bool: "boolean", int: "integer", float: "number"}


def json_type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array with a value of another type"
    return "string" if isinstance(value, str) else "object"


def accepts_json(annotation: Any, value: Any) -> bool:
    """Whether a JSON value is of the annotation's own type: "1" is no integer, 1 no boolean and
    1.5 no integer. Types other than booleans and numbers are pydantic's to check (dates and
    enums arrive as strings)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return accepts_json(get_args(annotation)[0], value)
    if origin in (Union, types.UnionType):
        return any(accepts_json(arg, value) for arg in get_args(annotation))
    if origin is list and isinstance(value, list) and get_args(annotation):
        return all(accepts_json(get_args(annotation)[0], item) for item in value)
    if annotation is type(None):
        return value is None
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return True


def expected_json_types(annotation: Any) -> list[str]:
    found = [JSON_SCALARS[arg] for arg in scalar_annotations(annotation)]
    return list(dict.fromkeys(found))


def scalar_annotations(annotation: Any) -> list[type]:
    if annotation in JSON_SCALARS:
        return [annotation]
    return [found for arg in get_args(annotation) for found in scalar_annotations(arg)]


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date_text(value: Any) -> Any:
    """Pydantic reads a number, or a string of digits, as a Unix timestamp: `0` would be
    1 January 1970. A date parameter takes YYYY-MM-DD only, from 1900 on (core.dates). A date
    object is the server's own, an answer being written, and passes as it is."""
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_format", _("Enter a date as YYYY-MM-DD."))
    if int(value[:4]) < EARLIEST_DAY.year:
        raise PydanticCustomError("date_too_early", too_early_message())
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(iso_date_text)]


def iso_moment(value: Any, parse: ValidatorFunctionWrapHandler) -> Any:
    """A time as ISO 8601 text (pydantic would read a number as a Unix timestamp) that can be
    stored in UTC and shown in every timezone (core.dates): 9999-12-31T23:59:59-14:00 is past
    the calendar's end in UTC; a string of digits would be a timestamp too, so the text starts
    with YYYY-MM-DD. A datetime object is the server's own and passes as it is."""
    if isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise PydanticCustomError(
            "datetime_format", _("Enter a date and time such as 2026-05-20T09:00:00Z.")
        )
    moment = parse(value)
    if not showable(moment):
        raise PydanticCustomError("datetime_range", out_of_range_message())
    return moment


IsoDateTime = Annotated[datetime.datetime, WrapValidator(iso_moment)]


class StrictSchema(Schema):
    """Request bodies: unknown keys and non-object bodies are a 422, never silently accepted, and
    a value of the wrong JSON type is a 422 rather than coerced (pydantic's lax mode would take
    "yes" or 1 for true). Rows validated without a request, such as a CSV import's cells, which
    are all strings, keep pydantic's conversions."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def of_its_json_type(cls, value: Any, info: ValidationInfo) -> Any:
        if not (info.context or {}).get("request") or info.field_name is None:
            return value
        annotation = cls.model_fields[info.field_name].annotation
        if accepts_json(annotation, value):
            return value
        raise PydanticCustomError(
            "wrong_type",
            "Expected JSON type: {expected}; got: {given}.",
            {
                "expected": " or ".join(expected_json_types(annotation)),
                "given": json_type_of(value),
            },
        )


def without_null(schema: dict[str, Any], model: type["PatchSchema"]) -> None:
    """The documented body offers no null: a PATCH key is either sent with a value or left out
    (except the keys the model names in `clearable`, where null clears the value)."""
    for name, prop in schema.get("properties", {}).items():
        if name in model.clearable:
            continue
        if "default" in prop and prop["default"] is None:
            del prop["default"]
        choices = [choice for choice in prop.pop("anyOf", []) if choice != {"type": "null"}]
        if len(choices) == 1:
            prop.update(choices[0])
        elif choices:
            prop["anyOf"] = choices


class PatchSchema(StrictSchema):
    """PATCH bodies: a key left out keeps its value; null is no value, so it is a 422, except
    for the fields named in `clearable`, where null clears the value.

    Fields are `X | None` (pydantic's nullable, whose errors name the field alone) with the null
    left out of the OpenAPI document."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=without_null)
    clearable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.clearable:
            raise ValueError("May not be null; leave the key out to keep the value.")
        return value


class Ref(Schema):
    """Another object, by its id and its name."""

    id: int
    name: str


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
    429: ErrorOut,
}  # fmt: skip
UPDATE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 412: ErrorOut}
# A download whose file storage no longer holds (core.files).
DOWNLOAD_ERRORS: dict[int, type[Schema]] = {**ERRORS, 410: ErrorOut}


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


def is_sqlite_integer_overflow(exc: OverflowError) -> bool:
    """An id from a URL past SQLite's 64-bit integers (a foreign-key lookup binds it unchecked;
    PostgreSQL simply finds no row). No row has that id, so the answer is a 404."""
    return "too large to convert to SQLite INTEGER" in str(exc)


def install_error_handlers(api: NinjaAPI) -> None:
    """Every failure a request can meet answers in the one error shape (ErrorOut)."""
    install_input_error_handlers(api)
    install_not_found_handlers(api)
    install_access_limit_handlers(api)
    install_database_error_handlers(api)


def django_validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    """A service's ValidationError as field errors; one without fields is about the whole body."""
    if not hasattr(exc, "error_dict"):
        return [{"field": "__all__", "message": str(m), "code": "invalid"} for m in exc]
    errors = []
    for field, field_errors in exc.error_dict.items():
        for err in field_errors:
            message = err.message % err.params if err.params else err.message
            errors.append({"field": field, "message": str(message), "code": err.code or "invalid"})
    return errors


def install_input_error_handlers(api: NinjaAPI) -> None:
    """Bodies, parameters and service input that cannot be taken: 400 and 422."""

    @api.exception_handler(NinjaValidationError)
    def ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": field_path(e.get("loc", ())),
             "message": validation_message(e.get("loc", ()), e.get("msg", "")),
             "code": e.get("type", "invalid")}
            for e in exc.errors
        ]  # fmt: skip
        body = error_body("validation_error", "Invalid input.", errors)
        return api.create_response(request, body, status=422)

    @api.exception_handler(ValidationError)
    def django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = django_validation_errors(exc)
        first = errors[0]["message"] if errors else "Invalid input."
        body = error_body("validation_error", first, errors)
        return api.create_response(request, body, status=422)

    @api.exception_handler(AppError)
    def app_error(request: HttpRequest, exc: AppError) -> HttpResponse:
        fields = (
            [{"field": exc.field, "message": exc.message, "code": exc.code}] if exc.field else []
        )
        body = error_body(exc.code, exc.message, fields)
        response = api.create_response(request, body, status=exc.status)
        if isinstance(exc, TooManyRequests):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = "malformed_json" if exc.status_code == 400 else "error"
        return api.create_response(request, error_body(code, str(exc)), status=exc.status_code)

    @api.exception_handler(MultiPartParserError)
    def malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        body = error_body("malformed_multipart", str(exc))
        return api.create_response(request, body, status=400)


def install_not_found_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    @api.exception_handler(ObjectDoesNotExist)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, error_body("not_found", "Not found."), status=404)

    @api.exception_handler(OverflowError)
    def beyond_any_row(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        if not is_sqlite_integer_overflow(exc):
            raise exc
        return not_found(request, exc)


def install_access_limit_handlers(api: NinjaAPI) -> None:
    """401 without valid credentials, 429 over a rate limit."""
    # Failed credentials spend the address's anonymous allowance: guessing tokens is no faster
    # than any other anonymous request.
    anonymous = AnonymousRateThrottle()

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        if not anonymous.allow_request(request):
            wait = anonymous.wait()
            return throttled(request, Throttled(wait=None if wait is None else math.ceil(wait)))
        body = error_body("unauthenticated", "Authentication required.")
        return api.create_response(request, body, status=401)

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        message = "Too many requests; retry after the seconds in Retry-After."
        response = api.create_response(request, error_body("rate_limited", message), status=429)
        if exc.wait is not None:
            response["Retry-After"] = str(max(1, math.ceil(exc.wait)))
        return response


def install_database_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(OperationalError)
    def busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        if "locked" not in str(exc):
            raise exc
        body = error_body("busy", "The database is busy; retry.")
        return api.create_response(request, body, status=409)


# The openapi_extra of an upload: its multipart body takes the parts it documents and nothing
# else, like every StrictSchema body (only_parts refuses the rest).
STRICT_UPLOAD = {
    "requestBody": {"content": {"multipart/form-data": {"schema": {"additionalProperties": False}}}}
}


def only_parts(request: HttpRequest, *names: str) -> None:
    """A multipart body takes the parts its operation documents and nothing else, like a
    StrictSchema body: ninja itself ignores any other part."""
    unknown = sorted((request.POST.keys() | request.FILES.keys()) - set(names))
    if unknown:
        raise field_error(unknown[0], _("This field cannot be set."), "extra_forbidden")


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
