"""The referral program's settings as the program admin reads them."""

from typing import Any

from openprm.core.program_settings import require_program_admin
from openprm.referrals.models import ReferralProgram


def referral_program_get(*, user: Any) -> ReferralProgram:
    require_program_admin(user)
    return ReferralProgram.current()
