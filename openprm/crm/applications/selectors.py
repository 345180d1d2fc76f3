"""Reads of partner applications: the program admin's alone; anyone else gets a 404."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from openprm.accounts.models import User
from openprm.core.checks import checked_choice
from openprm.core.errors import NotFound
from openprm.crm.applications.models import ApplicationStatus, PartnerApplication


def ensure_reader(user: User | AnonymousUser) -> None:
    if not (isinstance(user, User) and user.is_active and user.is_program_admin):
        raise NotFound()


def applications_for_user(*, user: User, status: str = "") -> QuerySet[PartnerApplication]:
    """Newest first; `status` (pending, approved, rejected) narrows the list."""
    ensure_reader(user)
    status = checked_choice("status", status, ApplicationStatus, required=False)
    applications = PartnerApplication.objects.select_related("decided_by", "partner")
    return applications.filter(status=status) if status else applications


def application_get(*, user: User, application_id: int) -> PartnerApplication:
    ensure_reader(user)
    application = (
        PartnerApplication.objects.select_related("decided_by", "partner")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound()
    return application
