"""Reads about partner organizations for their administration."""

from dataclasses import dataclass

from django.db.models import QuerySet

from openprm.accounts.models import Location, Membership, Organization, User
from openprm.accounts.roles import Role
from openprm.core.formatting import currency_label
from openprm.crm.models import Currency, Market
from openprm.crm.partners.services import ensure_program_admin
from openprm.crm.selectors import partner_get


def partner_locations(*, user: User, partner_id: int) -> QuerySet[Location]:
    """A partner's locations, as the requester may see the partner (404 otherwise)."""
    return partner_get(user=user, partner_id=partner_id).locations.order_by("name", "id")


def partner_for_admin(*, user: User, partner_id: int) -> Organization:
    """A partner for the program admin's pages: 404 when the requester cannot see it, 403 when
    they can but do not administer the program."""
    partner = partner_get(user=user, partner_id=partner_id)
    ensure_program_admin(user)
    return partner


@dataclass(frozen=True)
class PartnerChoices:
    markets: list[tuple[str, str]]
    currencies: list[tuple[str, str]]
    pdms: list[tuple[int, str]]


def partner_choices(*, user: User) -> PartnerChoices:
    """What the partner forms offer: the program's markets, currencies and active PDMs."""
    ensure_program_admin(user)
    pdm_ids = Membership.objects.filter(role=Role.PDM).values("user_id")
    return PartnerChoices(
        markets=[(str(m.country), str(m)) for m in Market.objects.order_by("country")],
        currencies=[(c.code, currency_label(c.code)) for c in Currency.objects.order_by("code")],
        pdms=[
            (u.pk, str(u))
            for u in User.objects.filter(pk__in=pdm_ids, is_active=True).order_by("full_name")
        ],
    )
