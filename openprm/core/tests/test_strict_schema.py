"""StrictSchema takes a JSON body as typed: a value of another JSON type is a 422, not coerced."""

from typing import Annotated

import pytest
from ninja import Field
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from openprm.core.api import StrictSchema

AS_API_BODY = {"request": object()}


class Settings(StrictSchema):
    enabled: bool
    limit: int
    share: float = 0.5
    label: str = ""
    cap: Annotated[int, Field(ge=0)] | None = None
    weights: list[int] = []


VALID = {"enabled": True, "limit": 3}


def first_error(body: dict) -> ErrorDetails:
    with pytest.raises(ValidationError) as raised:
        Settings.model_validate(body, context=AS_API_BODY)
    return raised.value.errors()[0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("enabled", "yes"),
        ("enabled", "true"),
        ("enabled", 1),
        ("limit", "3"),
        ("limit", 3.0),
        ("limit", True),
        ("share", "0.5"),
        ("share", False),
        ("cap", "7"),
        ("weights", [1, "2"]),
    ],
)
def test_a_value_of_another_json_type_is_refused_naming_its_field(field, value):
    error = first_error({**VALID, field: value})
    assert error["loc"] == (field,)
    assert error["type"] == "wrong_type"


def test_the_message_names_the_expected_and_the_given_type():
    assert first_error({**VALID, "limit": "3"})["msg"] == (
        "Expected JSON type: integer; got: string."
    )


def test_values_of_their_own_type_are_accepted():
    body = {"enabled": False, "limit": 0, "share": 1, "cap": None, "weights": [1, 2]}
    parsed = Settings.model_validate(body, context=AS_API_BODY)
    assert (parsed.enabled, parsed.limit, parsed.share, parsed.cap) == (False, 0, 1.0, None)


def test_without_a_request_the_usual_conversions_apply():
    """A CSV import's cells are all strings; its rows are validated without a request."""
    parsed = Settings.model_validate({"enabled": "true", "limit": "3"})
    assert (parsed.enabled, parsed.limit) == (True, 3)
