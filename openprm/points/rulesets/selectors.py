"""Reads of the rule versions: the one in force on a day, and all of them for the program admin."""

from datetime import date

from django.db.models import QuerySet

from openprm.accounts.models import User
from openprm.core.dates import program_today
from openprm.core.program_settings import require_program_admin
from openprm.points.models import RuleSet


def rules_in_force(day: date | None = None) -> RuleSet:
    return RuleSet.objects.effective_on(day or program_today())


def rule_versions(*, user: User) -> QuerySet[RuleSet]:
    """Every rule version, newest first, for the program admin (a 403 for others)."""
    require_program_admin(user)
    RuleSet.objects.ensure_first_version()
    return RuleSet.objects.order_by("-version")
