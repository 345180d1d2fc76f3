"""The solution types as the program admin configures them, inactive ones included."""

from django.db.models import QuerySet

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.core.program_settings import require_program_admin
from openprm.referrals.models import SolutionType


def solution_types_all(*, user: User) -> QuerySet[SolutionType]:
    require_program_admin(user)
    return SolutionType.objects.order_by("name", "id")


def solution_type_get(*, user: User, solution_type_id: int) -> SolutionType:
    found = solution_types_all(user=user).filter(pk=solution_type_id).first()
    if found is None:
        raise NotFound()
    return found
