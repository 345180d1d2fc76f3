"""The partners vetted for solution assessments, as the program admin configures them."""

from django.db.models import QuerySet

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.core.program_settings import require_program_admin
from openprm.referrals.models import AssessmentVetting


def vettings_all(*, user: User) -> QuerySet[AssessmentVetting]:
    require_program_admin(user)
    return AssessmentVetting.objects.select_related("organization").order_by(
        "organization__name", "pk"
    )


def vetting_get(*, user: User, vetting_id: int) -> AssessmentVetting:
    vetting = vettings_all(user=user).filter(pk=vetting_id).first()
    if vetting is None:
        raise NotFound()
    return vetting
