"""Reads of the rule versions: the one in force on a day."""

from datetime import date

from django.utils import timezone

from openprm.points.models import RuleSet


def rules_in_force(day: date | None = None) -> RuleSet:
    return RuleSet.objects.effective_on(day or timezone.localdate())
