"""The shared-deal program's settings as the program admin reads them."""

from openprm.accounts.models import User
from openprm.core.program_settings import require_program_admin
from openprm.deals.models import DealProgram


def deal_program_get(*, user: User) -> DealProgram:
    require_program_admin(user)
    return DealProgram.current()
