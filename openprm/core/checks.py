"""Checks of a service's input, the product's one validation path: each check returns the
cleaned value or raises a ValidationError naming the field, which the API's error handler
(openprm/core/api.py) and the pages' forms both render. `FieldErrors` runs several checks so
that one answer names every bad field, not only the first.
"""

import datetime
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet, TextChoices
from django.utils.translation import gettext as _

from openprm.core.errors import field_error

P = ParamSpec("P")
T = TypeVar("T")


class FieldErrors:
    """The field errors of one input, gathered check by check, raised together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def check(self, check: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """The check's value; when it fails, its errors are kept and the value is None, which
        nothing uses: `raise_any()` comes before the values are used."""
        try:
            return check(*args, **kwargs)
        except ValidationError as exc:
            exc.update_error_dict(self.errors)
            return cast(T, None)

    def add(self, field: str, message: str, code: str) -> None:
        field_error(field, message, code).update_error_dict(self.errors)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def required_text(field: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise field_error(field, _("This field is required."), "required")
    return text


def required_date(field: str, value: datetime.date | None) -> datetime.date:
    if value is None:
        raise field_error(field, _("This field is required."), "required")
    return value


def positive_amount(field: str, value: int | None) -> int:
    if value is None:
        raise field_error(field, _("This field is required."), "required")
    if value <= 0:
        raise field_error(field, _("Must be more than zero."), "not_positive")
    return value


def number_between(field: str, value: Any, low: Any, high: Any, message: str) -> Any:
    """A number from `low` to `high`, both included; `message` says the range."""
    if value is None or not low <= value <= high:
        raise field_error(field, message, "invalid")
    return value


def valid_email(field: str, value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise field_error(field, _("Enter a valid email address."), "invalid") from None
    return value


def checked_choice(field: str, value: str, choices: type[TextChoices], *, required: bool) -> str:
    """One of `choices`' values, or "" when it may be left out."""
    value = (value or "").strip()
    if not value:
        if required:
            raise field_error(field, _("This field is required."), "required")
        return ""
    if value not in choices.values:
        raise field_error(field, _("Choose one of the listed values."), "invalid_choice")
    return value


def unique_external_id(field: str, value: str | None, others: QuerySet) -> str:
    """D9: a CRM id, trimmed; "" is no id. `others` are the records the id must be unique
    among (the same organization's, the record itself left out)."""
    text = (value or "").strip()
    if text and others.filter(**{field: text}).exists():
        raise field_error(field, _("Another record already has this CRM ID."), "duplicate")
    return text
