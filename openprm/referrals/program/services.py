"""The referral program's one row (D4, D10): how long a partner has to answer a received
referral, and how soon a win is flagged to the reviewer as fast. Program settings and the API
change it through `referral_program_update`; the program admin only; each change recorded with
the values before and after."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.checks import FieldErrors, number_between
from openprm.core.program_settings import program_row_update
from openprm.referrals.models import ReferralProgram

FIELDS = ("response_days", "fast_win_hours")
# A year: a referral left unanswered longer is no longer a lead worth holding for a partner.
RESPONSE_DAYS_LIMIT = 365
# A year in hours; 0 flags no win as fast.
FAST_WIN_HOURS_LIMIT = 8760


def checked_referral_program(program: ReferralProgram) -> None:
    errors = FieldErrors()
    errors.check(number_between, "response_days", program.response_days, 1,
                 RESPONSE_DAYS_LIMIT, _("Enter a number of days from 1 to 365."))  # fmt: skip
    errors.check(number_between, "fast_win_hours", program.fast_win_hours, 0,
                 FAST_WIN_HOURS_LIMIT, _("Enter a number of hours from 0 to 8760."))  # fmt: skip
    errors.raise_any()


@transaction.atomic
def referral_program_update(*, actor: User, **changes: Any) -> ReferralProgram:
    """A new answer time counts for referrals sent from then on; received ones keep their
    deadline."""
    return program_row_update(
        actor=actor,
        model=ReferralProgram,
        changes=changes,
        fields=FIELDS,
        check=checked_referral_program,
        kind="referral_program.updated",
    )
