"""Requests carrying a NUL character are refused before any view reads them.

PostgreSQL cannot store or even compare a text holding NUL (psycopg raises while binding it),
and SQLite stores it silently: either way the product would behave differently per database.
One check at the door, for the query string, form fields, JSON bodies and the path, answers a
422 that names the field, in the API's error shape or as the error page.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from openprm.core.errors import AppError

NUL = "\x00"
API_PREFIX = "/api/"
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


def json_paths_with_nul(value: Any, path: str = "") -> Iterator[str]:
    """Dotted paths as the API's validation errors name them (`contact.name`, `3.email`)."""
    if isinstance(value, str):
        if NUL in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if NUL in key:
                yield child.replace(NUL, "")
            else:
                yield from json_paths_with_nul(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_paths_with_nul(item, f"{path}.{index}" if path else str(index))


def form_fields_with_nul(data: Any) -> Iterator[str]:
    for key, values in data.lists():
        if NUL in key or any(NUL in value for value in values):
            yield key.replace(NUL, "")


def fields_with_nul(request: HttpRequest) -> list[str]:
    fields = ["path"] if NUL in request.path else []
    fields += form_fields_with_nul(request.GET)
    if request.content_type in FORM_TYPES and request.method == "POST":
        fields += form_fields_with_nul(request.POST)
    elif request.method != "GET" and b"\\u0000" in request.body:
        with suppress(ValueError):  # malformed JSON is the API's own 400
            fields += json_paths_with_nul(json.loads(request.body))
    return list(dict.fromkeys(fields))


class NullCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            fields = fields_with_nul(request)
        except MultiPartParserError as exc:
            return self.refusal(request, 400, "malformed_multipart", str(exc), [])
        if not fields:
            return self.get_response(request)
        message = str(ProhibitNullCharactersValidator.message)
        return self.refusal(request, 422, "null_character", message, fields)

    @staticmethod
    def refusal(
        request: HttpRequest, status: int, code: str, message: str, fields: list[str]
    ) -> HttpResponse:
        errors = [{"field": field, "message": message, "code": code} for field in fields]
        if request.path.startswith(API_PREFIX):
            body = {"code": code, "message": message, "errors": errors}
            return JsonResponse(body, status=status)
        named = ", ".join(fields)
        error = AppError(f"{named}: {message}" if named else message, code=code)
        return render(request, "error.html", {"error": error}, status=status)
