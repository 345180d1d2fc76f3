"""Referral reads, always through `Referral.objects.for_user` (D3): lists with the D1 tabs and
filters, one referral, who may send, create and work referrals and what a user may do to one,
the campaign report, and the directory's customers suggested when a referral is sent or made.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Location, Organization, User
from openprm.accounts.roles import Role
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.errors import Conflict
from openprm.core.money import from_minor
from openprm.crm import selectors as crm_selectors
from openprm.crm.models import Customer
from openprm.referrals.models import (
    STATUS_OF,
    AssessmentVetting,
    Direction,
    Referral,
    ReferralStageMark,
    ReferralTeamMember,
    SolutionType,
    Status,
    Substatus,
)
from openprm.referrals.stages.selectors import missing_stages_for_win
from openprm.referrals.transitions import allowed_actions, effective_substatus

# Besides partners, the vendor's people who send referrals to partners (D1).
VENDOR_SENDERS = (Role.SALES_REP, Role.PROGRAM_ADMIN)

RELATED = (
    "opportunity",
    "opportunity__customer",
    "opportunity__currency",
    "organization",
    "sender_organization",
    "sent_by",
    "location",
    "assessment_location",
    "solution_type",
    "stage",
    "registration",
    "registration__registration",
)
TABS = ("inbound", "outbound", "closed")
SUGGESTIONS = 10
ORDERINGS = {
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "name": ("opportunity__name", "id"),
    "-name": ("-opportunity__name", "-id"),
    "value": ("opportunity__amount_minor", "id"),
    "-value": ("-opportunity__amount_minor", "-id"),
    "close_date": ("estimated_close_date", "id"),
    "-close_date": ("-estimated_close_date", "-id"),
    "expires": ("expires_at", "id"),
    "-expires": ("-expires_at", "-id"),
    "stage": ("stage__position", "id"),
    "-stage": ("-stage__position", "-id"),
}


@dataclass(frozen=True)
class ReferralFilters:
    """D1's tabs and filters; empty values filter nothing."""

    tab: str = ""
    deal_type: str = ""
    status: str = ""
    substatus: str = ""
    stage: str = ""
    location_id: int | None = None
    close_from: datetime.date | None = None
    close_to: datetime.date | None = None
    campaign_id: str = ""
    crm_id: str = ""
    vendor_crm_id: str = ""
    q: str = ""
    ordering: str = "-created"


def substatus_q(substatus: str) -> Q:
    """Referrals in `substatus` as users see it: a received referral past its expiry is expired
    already, before the sweep archives it."""
    past_expiry = Q(substatus=Substatus.RECEIVED, expires_at__lte=timezone.now())
    if substatus == Substatus.RECEIVED:
        return Q(substatus=Substatus.RECEIVED) & ~past_expiry
    if substatus == Substatus.EXPIRED:
        return Q(substatus=Substatus.EXPIRED) | past_expiry
    return Q(substatus=substatus)


def status_q(status: str) -> Q:
    query = Q(pk__in=[])
    for substatus, of_status in STATUS_OF.items():
        if of_status == status and substatus != Substatus.PENDING:
            query |= substatus_q(substatus)
    return query


def tab_filter(user: User, tab: str) -> Q:
    """Inbound: received by the user's partner; Outbound: created by it, and for a partner that
    sent a referral to another, the ones it sent; Closed: won, lost, declined, expired."""
    closed = status_q(Status.CLOSED)
    if tab == "closed":
        return closed
    organization = user.organization
    if user.is_partner and organization is not None:
        mine = Q(organization=organization)
        sent = Q(sender_organization=organization) & ~mine
        if tab == "inbound":
            return mine & Q(direction=Direction.INBOUND) & ~closed
        return ((mine & Q(direction=Direction.OUTBOUND)) | sent) & ~closed
    return Q(direction=tab) & ~closed


def referrals_for_user(*, user: User, filters: ReferralFilters | None = None) -> QuerySet[Referral]:
    """The filtered, ordered list with what a list row shows, in a fixed number of queries."""
    filters = filters or ReferralFilters()
    referrals = (
        filtered_referrals(user=user, filters=filters)
        .select_related(*RELATED)
        .prefetch_related(
            Prefetch("team_members", queryset=ReferralTeamMember.objects.order_by("id")),
            Prefetch("stage_marks", queryset=ReferralStageMark.objects.select_related("stage")),
        )
    )
    return referrals.order_by(*ORDERINGS.get(filters.ordering, ORDERINGS["-created"]))


def filtered_referrals(*, user: User, filters: ReferralFilters) -> QuerySet[Referral]:
    referrals = Referral.objects.for_user(user).filter(field_conditions(filters))
    if filters.tab in TABS:
        referrals = referrals.filter(tab_filter(user, filters.tab))
    if filters.status:
        referrals = referrals.filter(status_q(filters.status))
    if filters.substatus:
        referrals = referrals.filter(substatus_q(filters.substatus))
    return referrals


def field_conditions(filters: ReferralFilters) -> Q:
    """The filters that compare one field each; a filter left empty compares nothing."""
    conditions = {
        "opportunity__kind": filters.deal_type or None,
        "stage__code": filters.stage or None,
        "location_id": filters.location_id,
        "estimated_close_date__gte": filters.close_from,
        "estimated_close_date__lte": filters.close_to,
        "campaign_id": filters.campaign_id.strip() or None,
        "crm_id": filters.crm_id.strip() or None,
        "vendor_crm_id": filters.vendor_crm_id.strip() or None,
        "opportunity__name__icontains": filters.q.strip() or None,
    }
    return Q(**{lookup: value for lookup, value in conditions.items() if value is not None})


def openable_referrals(user: User) -> Q:
    """An opportunity that is a referral opens only for whom D3 shows the referral."""
    return Q(referral__isnull=True) | Q(referral__in=Referral.objects.for_user(user).values("pk"))


crm_selectors.OPENABLE_RULES.append(openable_referrals)


def referral_get(*, user: User, referral_id: int) -> Referral:
    """One referral as the user may see it; anyone else's is a 404, exactly like a missing one."""
    return get_for_user_or_404(
        Referral.objects.select_related(*RELATED).prefetch_related(
            Prefetch("team_members", queryset=ReferralTeamMember.objects.order_by("id")),
            Prefetch("stage_marks", queryset=ReferralStageMark.objects.select_related("stage")),
            "transitions__actor",
        ),
        user,
        pk=referral_id,
    )


def can_send(user: User) -> bool:
    """Vendor sales reps (and the program admin) and partners send referrals (D1)."""
    return user.organization is not None and (user.is_partner or user.role in VENDOR_SENDERS)


def can_create(user: User) -> bool:
    """Only partners create deals (D2)."""
    return user.is_partner and user.organization is not None


def works_for_owner(user: User, referral: Referral) -> bool:
    """Only people of the partner that owns the referral act on it (visibility aside)."""
    return bool(
        user.is_partner
        and user.organization is not None
        and user.organization.pk == referral.organization_id
    )


def is_vetted(organization: Organization) -> bool:
    """The vendor vetted the partner for solution assessments (D1)."""
    return AssessmentVetting.objects.filter(organization=organization).exists()


def substatus_for(*, referral: Referral, user: User, now: datetime.datetime | None = None) -> str:
    """D9's substatus as this user sees it: a received referral is Pending for whoever sent
    it, and Expired for everyone once its expiry passed, even before the sweep runs."""
    substatus = effective_substatus(referral, now or timezone.now())
    organization = user.organization
    sender_side = organization is not None and organization.pk != referral.organization_id
    if substatus == Substatus.RECEIVED and sender_side:
        return Substatus.PENDING
    return substatus


def status_for(*, referral: Referral, user: User) -> str:
    return STATUS_OF[Substatus(substatus_for(referral=referral, user=user))]


def actions_for(*, referral: Referral, user: User) -> list[str]:
    """What the user may do now: the transition table, the expiry, and D8's eligibility.
    `referral` comes from a selector for this user, so it is visible to them."""
    if not works_for_owner(user, referral):
        return []
    actions = allowed_actions(effective_substatus(referral, timezone.now()))
    if "registration" in actions and registration_refusal(referral) is not None:
        actions.remove("registration")
    return actions


def registration_refusal(referral: Referral) -> Conflict | None:
    """D8, D10: why a won referral cannot be registered, or None when it can. The one rule
    for the registration service and for the actions a referral offers."""
    if not referral.is_registrable:
        return Conflict(
            _("This deal's solution cannot be registered."), field="action", code="not_eligible"
        )
    if hasattr(referral, "registration"):  # loaded with the referral by the selectors
        return Conflict(
            _("This deal is registered already."), field="action", code="already_registered"
        )
    return None


def can_close_won(*, referral: Referral) -> bool:
    """D6: "Won" is enabled for a solution assessment only once every stage is complete."""
    return not referral.is_solution_assessment or not missing_stages_for_win(referral)


def partner_get(*, partner_id: int) -> Organization | None:
    """Any partner, whichever may send to it: the sending service checks that it may receive."""
    return Organization.objects.partners().filter(pk=partner_id).first()


def receiving_locations(*, user: User) -> QuerySet[Location]:
    """D1: the locations of every active partner but the sender's own."""
    return (
        Location.objects.filter(organization__kind="partner", organization__is_active=True)
        .exclude(organization=user.organization)
        .select_related("organization")
        .order_by("organization__name", "name")
    )


def list_locations(*, user: User) -> QuerySet[Location]:
    """The locations the lists filter by: a partner's own; the vendor's, of the partners the
    user sees."""
    locations = Location.objects.select_related("organization").order_by(
        "organization__name", "name"
    )
    if user.is_partner:
        return locations.filter(organization=user.organization)
    return locations.filter(organization__in=crm_selectors.partners_for_user(user=user))


def solution_types_for(*, user: User) -> QuerySet[SolutionType]:
    """D1: the active solution types a partner may choose; none unless the vendor vetted it."""
    organization = user.organization
    if organization is None or not user.is_partner:
        return SolutionType.objects.none()
    if not is_vetted(organization):
        return SolutionType.objects.none()
    return SolutionType.objects.filter(is_active=True).order_by("name")


def partner_locations(*, user: User, in_scope: bool = False) -> QuerySet[Location]:
    """The locations a partner's deal can have (D2 step 3): its own; `in_scope` keeps a partner
    user to the countries of their location scope, the only deals they would see (D3)."""
    organization = user.organization
    if organization is None or not user.is_partner:
        return Location.objects.none()
    locations = Location.objects.filter(organization=organization)
    countries = user.scope_countries
    if in_scope and countries is not None:
        locations = locations.filter(country__in=countries)
    return locations.order_by("name")


@dataclass
class CampaignRow:
    """One marketing campaign ID: referrals created, won, won value per currency, win rate
    (won out of those decided, won or lost; None while none is decided)."""

    campaign_id: str
    created: int = 0
    won: int = 0
    lost: int = 0
    won_value: dict[str, Decimal] = field(default_factory=dict)

    @property
    def win_rate(self) -> Decimal | None:
        decided = self.won + self.lost
        if not decided:
            return None
        return (Decimal(self.won) / Decimal(decided)).quantize(Decimal("0.0001"))


def campaign_report(*, user: User, filters: ReferralFilters | None = None) -> list[CampaignRow]:
    """Per campaign ID, over the referrals the user sees (the seed's "ROI of those campaigns").
    Sums are of integer minor units, per currency, so they are exact on both databases."""
    referrals = (
        filtered_referrals(user=user, filters=filters or ReferralFilters())
        .exclude(campaign_id="")
        .order_by()
        .values("campaign_id", "opportunity__currency_id")
        .annotate(
            created=Count("pk"),
            won=Count("pk", filter=Q(substatus=Substatus.WON)),
            lost=Count("pk", filter=Q(substatus=Substatus.LOST)),
            won_minor=Sum("opportunity__amount_minor", filter=Q(substatus=Substatus.WON)),
        )
    )
    rows: dict[str, CampaignRow] = {}
    for group in referrals:
        row = rows.setdefault(group["campaign_id"], CampaignRow(group["campaign_id"]))
        row.created += group["created"]
        row.won += group["won"]
        row.lost += group["lost"]
        if group["won_minor"]:
            currency = group["opportunity__currency_id"]
            row.won_value[currency] = row.won_value.get(currency, Decimal(0)) + from_minor(
                int(group["won_minor"]), currency
            )
    return [rows[key] for key in sorted(rows)]


def normalized_duns(value: str) -> str:
    """Full-width digits typed on a Japanese keyboard are the same number."""
    return unicodedata.normalize("NFKC", value or "").strip()


def customer_suggestions(*, user: User, country: str, q: str, duns: str) -> list[Customer]:
    """Step 1's suggestions: a DUNS number finds the exact entity, else name and location."""
    duns = normalized_duns(duns)
    if duns:
        return list(crm_selectors.customer_search(user=user, duns=duns)[:1])
    if not q.strip():
        return []
    return list(crm_selectors.customer_search(user=user, q=q, country=country)[:SUGGESTIONS])
