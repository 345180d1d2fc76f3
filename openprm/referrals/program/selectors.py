"""The referral program's settings as the program admin reads them."""

from openprm.accounts.models import User
from openprm.core.program_settings import require_program_admin
from openprm.referrals.models import ReferralProgram


def referral_program_get(*, user: User) -> ReferralProgram:
    require_program_admin(user)
    return ReferralProgram.current()
