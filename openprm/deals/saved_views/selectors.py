"""C7: a requester's saved deal views; anyone else's is missing."""

from django.db.models import QuerySet

from openprm.accounts.models import User
from openprm.accounts.scoping import get_for_user_or_404
from openprm.deals.models import DealView


def deal_views_for_user(*, user: User) -> QuerySet[DealView]:
    """C7: the requester's saved deal views."""
    return DealView.objects.for_user(user)


def deal_view_get(*, user: User, view_id: int) -> DealView:
    return get_for_user_or_404(DealView.objects.all(), user, pk=view_id)
