"""Writes of the solution assessment types (D2 step 5, D10), for Program settings and the API
alike: the program admin adds, renames and deactivates them (a type referrals chose is kept, so
it is deactivated rather than removed); each change is recorded with the values before and
after."""

import hashlib
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.checks import FieldErrors, required_text
from openprm.core.program_settings import (
    require_program_admin,
    setting_create,
    setting_update,
)
from openprm.referrals.models import SolutionType

FIELDS = ("name", "code", "registration_eligible", "is_active")
NAME_LENGTH = 120
CODE_LENGTH = 60


def code_from(name: str) -> str:
    """The name as a slug; a name without Latin letters or digits (ソリューション評価) gets a
    code from its hash, so two such names never share the empty code."""
    slug = slugify(name)[:CODE_LENGTH].strip("-")
    if slug or not name:
        return slug
    return "type-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def checked_solution_type(solution_type: SolutionType) -> None:
    """A name and a code, each unique (the name case aside); the code a slug, from the name
    when none is given."""
    errors = FieldErrors()
    name = errors.check(required_text, "name", solution_type.name)
    others = SolutionType.objects.exclude(pk=solution_type.pk)
    if name and len(name) > NAME_LENGTH:
        errors.add("name", _("Use at most 120 characters."), "max_length")
    if name and others.filter(name__iexact=name).exists():
        errors.add("name", _("A solution type with this name already exists."), "unique")
    code = (solution_type.code or "").strip() or code_from(name or "")
    if code and (code != slugify(code) or len(code) > CODE_LENGTH):
        errors.add("code", _("Use at most 60 lowercase letters, digits and hyphens."), "invalid")
    elif code and others.filter(code=code).exists():
        errors.add("code", _("A solution type with this code already exists."), "unique")
    errors.raise_any()
    solution_type.name, solution_type.code = name, code


@transaction.atomic
def solution_type_create(
    *,
    actor: User,
    name: str,
    code: str = "",
    registration_eligible: bool = False,
    is_active: bool = True,
) -> SolutionType:
    require_program_admin(actor)
    solution_type = SolutionType(
        name=name, code=code, registration_eligible=registration_eligible, is_active=is_active
    )
    return setting_create(
        actor=actor,
        obj=solution_type,
        fields=FIELDS,
        check=checked_solution_type,
        kind="solution_type.created",
    )


@transaction.atomic
def solution_type_update(
    *, actor: User, solution_type: SolutionType, **changes: Any
) -> SolutionType:
    """Changes some of its fields; `is_active` false deactivates it: partners no longer choose
    it, and the referrals that chose it keep it."""
    require_program_admin(actor)
    return setting_update(
        actor=actor,
        obj=solution_type,
        changes=changes,
        fields=FIELDS,
        check=checked_solution_type,
        kind="solution_type.updated",
    )
