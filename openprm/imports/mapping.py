"""Which column of the file fills which field of the kind: suggested from the header names
(a field's name or its English or translated label, in any case, spacing and hyphenation, so
"E-mail", "e_mail" and "Email address" all suggest the email), then chosen by the user."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from openprm.imports.kinds import Kind

SEPARATORS = re.compile(r"[\s_\-.:/]+")
# Longer spellings of a header that mean the same field: "Email address", "Phone number".
SAME_ENDINGS = (("emailaddress", "email"), ("phonenumber", "phone"))


def normal(name: str) -> str:
    """The header as compared: full-width letters as ASCII, no case, no spaces, hyphens or
    underscores, a longer spelling of a field shortened."""
    key = SEPARATORS.sub("", unicodedata.normalize("NFKC", name)).casefold()
    for ending, same in SAME_ENDINGS:
        if key.endswith(ending):
            return key[: -len(ending)] + same
    return key


def suggested_mapping(kind: Kind, headers: list[str]) -> dict[str, str]:
    by_name = {normal(header): header for header in headers}
    mapping: dict[str, str] = {}
    for column in kind.columns:
        for name in (column.field, str(column.label)):
            if normal(name) in by_name:
                mapping[column.field] = by_name[normal(name)]
                break
    return mapping


def clean_mapping(kind: Kind, headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Every required field mapped, each to a column of the file, no column used twice."""
    fields = {column.field for column in kind.columns}
    errors: dict[str, list[ValidationError]] = {}
    chosen = {field: header for field, header in mapping.items() if header}
    for field, header in chosen.items():
        if field not in fields:
            errors[field] = [ValidationError(_("This field cannot be set."), code="unknown_field")]
        elif header not in headers:
            message = _("The file has no column “%(name)s”.") % {"name": header}
            errors[field] = [ValidationError(message, code="unknown_column")]
        elif list(chosen.values()).count(header) > 1:
            message = _("The column “%(name)s” is mapped twice.") % {"name": header}
            errors[field] = [ValidationError(message, code="mapped_twice")]
    for column in kind.columns:
        if column.required and column.field not in chosen:
            message = _("Choose the column that holds %(label)s.") % {"label": column.label}
            errors[column.field] = [ValidationError(message, code="required")]
    if errors:
        raise ValidationError(errors)
    return chosen
