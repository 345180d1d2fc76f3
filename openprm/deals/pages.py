"""What the pages of deals' sub-domains share: the list page size, the signed-in requester,
service errors on form fields, and numbers from a query string or a form."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

PAGE_SIZE = 25


def user_of(request: HttpRequest) -> Any:
    return request.user


def add_errors(forms: list[Any], exc: ValidationError) -> None:
    """Service errors land on the form field they name (amount_minor is the amount field)."""
    for field, errors in exc.message_dict.items():
        name = field.removesuffix("_minor")
        target = next((f for f in forms if name in f.fields), forms[0])
        target.add_error(name if name in target.fields else None, errors)


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
