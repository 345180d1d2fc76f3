"""What the pages of deals' sub-domains share: the list page size, the signed-in requester,
service errors on form fields, numbers from a query string or a form, and the deal list's
filters and address (the list and its saved views)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

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


def list_filters(data: Any) -> tuple[str, int | None]:
    """The deal list's filters from a query string or a form, dropping what makes no sense."""
    state = data.get("state", "")
    state = state if state in {"open", "won", "lost"} else ""
    minimum = int_or_none(data.get("active_registrations"))
    minimum = minimum if minimum is not None and 0 <= minimum <= 1000 else None
    return state, minimum


def list_url(user: Any) -> str:
    return reverse("deals:list" if user.is_partner else "deals:vendor-list")
