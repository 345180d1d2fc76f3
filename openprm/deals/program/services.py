"""The shared-deal program's one row (C1, C2): how long a registration keeps its customer
exclusive, and who gets the deals no assignment rule matches. Program settings and the API
change it through `deal_program_update`; the program admin only; each change recorded with the
values before and after."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import Membership, User
from openprm.accounts.roles import VENDOR_ROLES
from openprm.core.checks import FieldErrors, number_between
from openprm.core.program_settings import program_row_update
from openprm.deals.models import DealProgram

FIELDS = ("exclusivity_days", "fallback_owner_id")
# Ten years: a longer exclusivity would never free a customer in the program's lifetime.
EXCLUSIVITY_DAYS_LIMIT = 3650


def checked_deal_program(program: DealProgram) -> None:
    errors = FieldErrors()
    days_message = _("Enter a number of days from 1 to 3650.")
    errors.check(number_between, "exclusivity_days", program.exclusivity_days, 1,
                 EXCLUSIVITY_DAYS_LIMIT, days_message)  # fmt: skip
    owner_id = program.fallback_owner_id
    if owner_id is not None:
        vendor = Membership.objects.filter(role__in=VENDOR_ROLES).values("user")
        if not User.objects.filter(pk=owner_id, is_active=True, pk__in=vendor).exists():
            errors.add("fallback_owner_id", _("Choose an active user of the vendor."), "invalid")
    errors.raise_any()


@transaction.atomic
def deal_program_update(*, actor: User, **changes: Any) -> DealProgram:
    """A new exclusivity period counts for registrations approved from then on; a new fallback
    owner gets the unmatched deals created from then on."""
    return program_row_update(
        actor=actor,
        model=DealProgram,
        changes=changes,
        fields=FIELDS,
        check=checked_deal_program,
        kind="deal_program.updated",
    )
