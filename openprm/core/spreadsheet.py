"""Cells that a spreadsheet program cannot run: every CSV and XLSX export writes through here,
and every import refuses a cell that would run (`looks_like_formula`).

A partner types a deal name, the vendor opens the export in Excel: a text that begins with
= + - @, a tab or a carriage return would be read as a formula (OWASP "CSV injection"), so it is
written with a leading apostrophe, which spreadsheets show as plain text. Numbers stay numbers,
negative ones included.
"""

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: Any) -> Any:
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_row(values: list[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


# A phone number ("+81 3-1234-5678") starts like a formula but is none.
PHONE_NUMBER = re.compile(r"\+?[\d ()./-]+")


def looks_like_formula(value: Any) -> bool:
    """An imported cell a spreadsheet program would run: imports refuse it rather than store
    what a later export would have to neutralise."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
        and not PHONE_NUMBER.fullmatch(value)
    )
