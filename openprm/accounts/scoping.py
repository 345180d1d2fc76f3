"""The tenancy chokepoint: every organization-owned model's rows as one user may see them.

Selectors read through `for_user`; `get_for_user_or_404` answers "not yours" exactly like
"missing", so another organization's objects cannot even be probed for.
"""

from typing import Any, Self, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from openprm.accounts.roles import Role
from openprm.core.errors import NotFound

M = TypeVar("M", bound=models.Model)


class OrganizationScopedQuerySet(models.QuerySet):
    """Rows with an `organization` foreign key to the partner that owns them."""

    def for_user(self, user: Any) -> Self:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        organization = user.organization
        if organization is None:
            return self.none()
        if user.is_vendor_staff:
            return self.visible_to_vendor(user)
        return self.within_location_scope(self.filter(organization=organization), user)

    def visible_to_vendor(self, user: Any) -> Self:
        if user.role == Role.PROGRAM_ADMIN:
            return self.all()
        if user.role == Role.PDM:
            return self.filter(organization__pdm=user)
        return self.none()

    def within_location_scope(self, queryset: Any, user: Any) -> Any:
        """Rows tied to a location override this to honour a partner user's country scope."""
        return queryset


def get_for_user_or_404(
    queryset: "models.QuerySet[M, M] | models.Manager[M]", user: Any, **lookup: Any
) -> M:
    """`queryset` is an organization-scoped one (its manager is `OrganizationScopedManager`)."""
    scoped = cast(OrganizationScopedQuerySet, queryset.all()).for_user(user)
    try:
        return cast(M, scoped.get(**lookup))
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


OrganizationScopedManager = models.Manager.from_queryset(OrganizationScopedQuerySet)
