"""Reads of the dashboard's own records, always scoped to the requester.

Lists, saved reports and exports belong to a partner's own people: vendor staff open a
partner's dashboard read-only and get none of them (a 404, like a missing one). An export is
its requester's: it may hold rows another member's location scope would hide.
"""

from django.db.models import Count, QuerySet

from openprm.accounts.models import Organization, User
from openprm.accounts.roles import Role
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.errors import NotFound
from openprm.crm import selectors as crm_selectors
from openprm.dashboard.models import CustomerList, CustomerListMember, Export, SavedReport


def own_partner(user: User) -> Organization:
    """The requester's partner organization; vendor staff have none of these records."""
    if not user.is_partner or user.organization is None:
        raise NotFound()
    return user.organization


def can_see_channel(user: User) -> bool:
    """The channel view (every partner's tier and points) is the program admin's and PDMs'."""
    return user.role in (Role.PROGRAM_ADMIN, Role.PDM)


def dashboard_partner(*, user: User, partner_id: int | None = None) -> Organization:
    """Whose dashboard: a partner's own, or for vendor staff one of the partners they cover."""
    if partner_id is None:
        return own_partner(user)
    if user.is_partner:
        if user.organization is not None and user.organization.pk == partner_id:
            return user.organization
        raise NotFound()
    if not can_see_channel(user):
        raise NotFound()
    return crm_selectors.partner_get(user=user, partner_id=partner_id)


def customer_lists_for_user(*, user: User) -> QuerySet[CustomerList]:
    if not user.is_partner:
        return CustomerList.objects.none()
    return (
        CustomerList.objects.for_user(user)
        .annotate(member_count=Count("members"))
        .order_by("name", "id")
    )


def customer_list_get(*, user: User, list_id: int) -> CustomerList:
    if not user.is_partner:
        raise NotFound()
    return get_for_user_or_404(
        CustomerList.objects.annotate(member_count=Count("members")), user, pk=list_id
    )


def customer_list_members(*, customer_list: CustomerList) -> QuerySet[CustomerListMember]:
    return customer_list.members.select_related("customer").order_by("customer__name", "id")


def saved_reports_for_user(
    *, user: User, on_dashboard: bool | None = None
) -> QuerySet[SavedReport]:
    if not user.is_partner:
        return SavedReport.objects.none()
    reports = SavedReport.objects.for_user(user)
    if on_dashboard is not None:
        reports = reports.filter(on_dashboard=on_dashboard)
    return reports.order_by("name", "id")


def saved_report_get(*, user: User, report_id: int) -> SavedReport:
    if not user.is_partner:
        raise NotFound()
    return get_for_user_or_404(SavedReport.objects, user, pk=report_id)


def exports_for_user(*, user: User) -> QuerySet[Export]:
    if not user.is_partner:
        return Export.objects.none()
    return Export.objects.for_user(user).filter(requested_by=user).order_by("-created_at", "-id")


def export_get(*, user: User, export_id: int) -> Export:
    export = exports_for_user(user=user).filter(pk=export_id).first()
    if export is None:
        raise NotFound()
    return export
