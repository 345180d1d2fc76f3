"""Registration reads: the vendor's queue, one registration, the claims that hold a customer
(C7, C9). Always through the scoped querysets, except the claims, which the services check
across partners and which no partner is shown."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from openprm.accounts.models import User
from openprm.accounts.roles import Role
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.marks import since_last_run
from openprm.crm.models import Contact, Customer, Opportunity, OpportunityState, Product
from openprm.deals.models import Deal, Registration, RegistrationState
from openprm.deals.registrations.transitions import HOLDING_STATES


def same_customer(customer: Customer) -> Q:
    """C9: the same customer is the same directory entry, DUNS number or domain."""
    match = Q(customer=customer)
    if customer.duns:
        match |= Q(customer__duns=customer.duns)
    if customer.domain:
        match |= Q(customer__domain__iexact=customer.domain)
    return match


def live_claims(
    *, customer: Customer, products: list[Product], states: frozenset[str], now: datetime.datetime
) -> QuerySet[Registration]:
    """Registrations that claim the customer and one of the products now: a closed deal's
    registration claims nothing any more, so a lost deal frees the customer at once."""
    return Registration.objects.filter(
        same_customer(customer),
        state__in=states,
        expires_at__gt=now,
        opportunity__state=OpportunityState.OPEN,
        products__in=[p.pk for p in products],
    ).distinct()


def active_registrations(*, user: User) -> QuerySet[Registration]:
    """C7: registrations that hold their customer now, as far as the user may see them: not
    expired, not decided against, and on a deal still open (a won or lost deal's registration
    has done its work)."""
    return Registration.objects.for_user(user).filter(
        state__in=HOLDING_STATES,
        expires_at__gt=timezone.now(),
        opportunity__state=OpportunityState.OPEN,
    )


def active_registrations_count(
    *, user: User, customer: Customer | None = None, contact: Contact | None = None
) -> int:
    """ "Number of active deal registrations" of a customer or a contact record."""
    registrations = active_registrations(user=user)
    if contact is not None:
        return registrations.filter(opportunity__shared_deal__contact=contact).count()
    return registrations.filter(customer=customer).count()


def with_details(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """What the queue, the deal page and the API show of a registration, in a few queries."""
    return registrations.select_related(
        "opportunity", "opportunity__shared_deal", "customer", "organization", "submitted_by"
    ).prefetch_related("products", Prefetch("transitions"))


# The queue's status filter: what a reviewer waits on, or one of the decided states.
STATUS_FILTERS: dict[str, Q] = {
    "pending": Q(awaiting_review=True),
    "more_info_requested": Q(state=RegistrationState.MORE_INFO_REQUESTED),
    "approved": Q(state=RegistrationState.APPROVED),
    "rejected": Q(state=RegistrationState.REJECTED),
    "expired": Q(state=RegistrationState.EXPIRED),
}
# Sorted by submission; the first come is the first to decide, so oldest first by default.
SORTS = {"oldest": ("created_at", "id"), "newest": ("-created_at", "-id")}


def registrations_for_user(
    *, user: User, queue: bool = False, status: str = "", sort: str = "oldest"
) -> QuerySet[Registration]:
    """The registrations the user sees, by submission date. `queue` (or status "pending"):
    those waiting for a reviewer; another status: that state; none: all of them. Pending ones
    are read off the `registration_pending` partial index, decided ones off
    `registration_state_submitted`."""
    registrations = with_details(Registration.objects.for_user(user))
    if queue:
        status = "pending"
    if status:
        registrations = registrations.filter(STATUS_FILTERS[status])
    return registrations.order_by(*SORTS[sort])


def registration_get(*, user: User, registration_id: int) -> Registration:
    """The one way pages and the API find a registration: 404 for missing and not-yours alike."""
    return get_for_user_or_404(with_details(Registration.objects.all()), user, pk=registration_id)


def registration_of_deal(*, deal: Deal) -> Registration | None:
    return deal.opportunity.registrations.order_by("-created_at").first()


def is_reviewer(user: User) -> bool:
    return user.role in (Role.REVIEWER, Role.PROGRAM_ADMIN)


def conflict_holders_by_registration(
    *, registrations: list[Registration]
) -> dict[int, list[Registration]]:
    """For the reviewer only (C9): the other partners' live exclusive registrations that sent
    each registration of a queue page to "In review (conflict)" (the partner is never shown
    this), in two queries however many there are: the live exclusive claims on any of their
    customers, then matched to each one in Python by customer and product."""
    waiting = [r for r in registrations if r.state == RegistrationState.IN_REVIEW_CONFLICT]
    if not waiting:
        return {}
    match = Q(pk__in=[])
    for registration in waiting:
        match |= same_customer(registration.customer)
    claims = list(
        Registration.objects.filter(
            match,
            state__in=HOLDING_STATES,
            exclusive=True,
            expires_at__gt=timezone.now(),
            opportunity__state=OpportunityState.OPEN,
            products__in={p.pk for r in waiting for p in r.products.all()},
        )
        .distinct()
        .select_related("organization", "opportunity", "customer")
        .prefetch_related("products")
        .order_by("created_at", "id")
    )
    return {
        registration.pk: [claim for claim in claims if claims_the_same(claim, registration)]
        for registration in waiting
    }


def claims_the_same(claim: Registration, registration: Registration) -> bool:
    """Another partner's claim on the registration's customer (C9) and one of its products."""
    theirs, ours = claim.customer, registration.customer
    same = theirs.pk == ours.pk or bool(ours.duns and theirs.duns == ours.duns)
    same = same or bool(ours.domain and theirs.domain.lower() == ours.domain.lower())
    products = {p.pk for p in registration.products.all()}
    return (
        same
        and claim.organization_id != registration.organization_id
        and bool(products & {p.pk for p in claim.products.all()})
    )


EXPIRY_MARK = "deals.registrations_expire"


def expiry_due(states: frozenset[str]) -> Q:
    """What may have come due since the last complete run (openprm.core.marks): an expiry
    passed since, or a registration or its opportunity saved since (extended, reopened). A
    registration whose deal closed keeps its state and past expiry for good; it is never
    read again, so an idle run reads index entries of the last minutes only."""
    since = since_last_run(EXPIRY_MARK)
    if since is None:
        return Q()
    saved = Opportunity.objects.filter(updated_at__gte=since.saved_from)
    return (
        Q(state__in=states, expires_at__gt=since.due_after)
        | Q(updated_at__gte=since.saved_from)
        | Q(opportunity_id__in=list(saved.values_list("pk", flat=True)))
    )
