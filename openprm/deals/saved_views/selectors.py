"""C7: a requester's saved deal views; anyone else's is missing."""

from typing import Any

from django.db.models import QuerySet

from openprm.accounts.scoping import get_for_user_or_404
from openprm.deals.models import DealView


def deal_views_for_user(*, user: Any) -> QuerySet[DealView]:
    """C7: the requester's saved deal views."""
    return DealView.objects.for_user(user)


def deal_view_get(*, user: Any, view_id: int) -> DealView:
    return get_for_user_or_404(DealView.objects.all(), user, pk=view_id)
