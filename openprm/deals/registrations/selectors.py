"""Registration reads: the vendor's queue, one registration, the claims that hold a customer
(C7, C9). Always through the scoped querysets, except the claims, which the services check
across partners and which no partner is shown."""

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from openprm.accounts.roles import Role
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.marks import since_last_run
from openprm.crm.models import Contact, Customer, Opportunity, OpportunityState, Product
from openprm.deals.models import Deal, Registration
from openprm.deals.registrations.transitions import HOLDING_STATES, QUEUE_STATES


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
):
    """Registrations that claim the customer and one of the products now: a closed deal's
    registration claims nothing any more, so a lost deal frees the customer at once."""
    return Registration.objects.filter(
        same_customer(customer),
        state__in=states,
        expires_at__gt=now,
        opportunity__state=OpportunityState.OPEN,
        products__in=[p.pk for p in products],
    ).distinct()


def active_registrations(*, user: Any) -> QuerySet[Registration]:
    """C7: registrations that hold their customer now, as far as the user may see them: not
    expired, not decided against, and on a deal still open (a won or lost deal's registration
    has done its work)."""
    return Registration.objects.for_user(user).filter(
        state__in=HOLDING_STATES,
        expires_at__gt=timezone.now(),
        opportunity__state=OpportunityState.OPEN,
    )


def active_registrations_count(
    *, user: Any, customer: Customer | None = None, contact: Contact | None = None
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


def registrations_for_user(*, user: Any, queue: bool = False) -> QuerySet[Registration]:
    registrations = with_details(Registration.objects.for_user(user))
    if queue:
        registrations = registrations.filter(
            Q(state__in=QUEUE_STATES) | Q(extension_requested_at__isnull=False)
        )
    return registrations.order_by("created_at", "id")


def registration_get(*, user: Any, registration_id: int) -> Registration:
    """The one way pages and the API find a registration: 404 for missing and not-yours alike."""
    return get_for_user_or_404(with_details(Registration.objects.all()), user, pk=registration_id)


def registration_of_deal(*, deal: Deal) -> Registration | None:
    return deal.opportunity.registrations.order_by("-created_at").first()


def is_reviewer(user: Any) -> bool:
    return getattr(user, "role", None) in (Role.REVIEWER, Role.PROGRAM_ADMIN)


def conflict_holders(*, registration: Registration) -> list[Registration]:
    """For the reviewer only (C9): the other partners' live exclusive registrations that sent
    this one to "In review (conflict)". The partner is never shown this."""
    claims = live_claims(
        customer=registration.customer,
        products=list(registration.products.all()),
        states=HOLDING_STATES,
        now=timezone.now(),
    )
    return list(
        claims.filter(exclusive=True)
        .exclude(organization=registration.organization)
        .select_related("organization", "opportunity")
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
