"""The request a signed-in page sees, typed: behind `login_required` its user is a `User`.

Django types `request.user` as "a user or AnonymousUser" because middleware cannot know which;
annotating a signed-in view's request with `AuthenticatedRequest` lets the services it calls
take a `User` (the acting user) rather than `Any`.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from openprm.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a request that Django's admin has let through (its hooks keep
    Django's own request type)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user
