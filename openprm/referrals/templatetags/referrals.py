"""Template helpers of the referral pages: the substatus as the viewer sees it."""

from typing import Any

from django import template

from openprm.referrals import selectors
from openprm.referrals.models import Referral, Substatus

register = template.Library()


@register.simple_tag(takes_context=True)
def substatus_label(context: dict[str, Any], referral: Referral) -> str:
    """Pending for whoever sent it, Expired once its expiry passed even before the sweep."""
    user = context["request"].user
    return str(Substatus(selectors.substatus_for(referral=referral, user=user)).label)


@register.filter
def substatus_name(value: str) -> str:
    """A stored substatus (a transition's from or to) in the reader's language."""
    return str(Substatus(value).label) if value in Substatus.values else value
