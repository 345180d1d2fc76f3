import pytest
from django.core.exceptions import ValidationError

from openprm.core.checks import FieldErrors, positive_amount, required_text, valid_email


def test_every_bad_field_is_named_in_one_error():
    errors = FieldErrors()
    errors.check(required_text, "name", "  ")
    errors.check(positive_amount, "value", 0)
    errors.check(valid_email, "email", "not an address")
    with pytest.raises(ValidationError) as raised:
        errors.raise_any()
    codes = {field: [e.code for e in found] for field, found in raised.value.error_dict.items()}
    assert codes == {"name": ["required"], "value": ["not_positive"], "email": ["invalid"]}


def test_a_passing_check_gives_its_cleaned_value_and_nothing_is_raised():
    errors = FieldErrors()
    assert errors.check(required_text, "name", "  Sakura  ") == "Sakura"
    errors.raise_any()
