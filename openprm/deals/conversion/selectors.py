"""C4 reads: the vendor's own open opportunities a rep may convert, and the partners and
partner people a conversion may name."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from openprm.accounts.models import Membership, Organization, User
from openprm.accounts.roles import OrganizationKind, Role
from openprm.core.errors import NotFound, field_error
from openprm.crm.models import Opportunity, OpportunityState
from openprm.deals.assignment.selectors import lead_recipients

CONVERTERS = (Role.SALES_REP, Role.PROGRAM_ADMIN)


def vendor_opportunities(*, user: User) -> QuerySet[Opportunity]:
    """The vendor's own open opportunities: rows of the table that belong to no partner yet."""
    if user.role not in CONVERTERS:
        return Opportunity.objects.none()
    return Opportunity.objects.filter(
        organization=user.organization, state=OpportunityState.OPEN
    ).select_related("customer", "currency")


def vendor_opportunity_get(*, user: User, opportunity_id: int) -> Opportunity:
    opportunity = vendor_opportunities(user=user).filter(pk=opportunity_id).first()
    if opportunity is None:
        raise NotFound()
    return opportunity


def partner_people() -> QuerySet[User]:
    """Every active person of an active partner, with the partner's name to tell them apart."""
    partner_name = Membership.objects.filter(user=OuterRef("pk")).values("organization__name")
    return (
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(
                organization__kind=OrganizationKind.PARTNER, organization__is_active=True
            ).values("user"),
        )
        .annotate(partner_name=Subquery(partner_name[:1]))
        .order_by("partner_name", "full_name", "email")
    )


def owner_or_default(partner: Organization | None, owner: User | None) -> User | None:
    """No partner contact chosen: the deal goes to the partner's lead notification recipient
    (C4, C7)."""
    if owner is not None or partner is None or partner.kind != OrganizationKind.PARTNER:
        return owner
    return next(iter(lead_recipients(partner)), None)


def partner_owners(partner: Organization) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.filter(organization=partner).values("user")
    ).order_by("full_name", "email")


def active_partners() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.PARTNER, is_active=True)


def conversion_parties(
    *, partner_id: int, owner_id: int | None
) -> tuple[Organization | None, User | None]:
    """The partner and the partner's person an API body names. deal_convert judges whether they
    fit (an organization that is not an active partner is as good as none: "Choose a partner.");
    a person id that names nobody is the body's own error."""
    partner = active_partners().filter(pk=partner_id).first()
    owner = None
    if owner_id is not None:
        owner = User.objects.filter(pk=owner_id).first()
        if owner is None:
            raise field_error("owner_id", _("Choose one of the partner's people."), "invalid")
    return partner, owner
