"""Shared-deal reads, always through the scoped querysets."""

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.errors import Forbidden, field_error
from openprm.core.models import Event
from openprm.core.search import fold
from openprm.crm.models import Contact, Customer, OpportunityState
from openprm.crm.selectors import by_external_ids
from openprm.deals.models import (
    Deal,
    DealNote,
    PipelineStage,
    Registration,
)
from openprm.deals.registrations.selectors import active_registrations

DEAL_RELATED = (
    "opportunity",
    "opportunity__customer",
    "organization",
    "assigned_rep",
    "partner_owner",
    "stage",
)


def shared_notes_prefetch() -> Prefetch[Any]:
    """The shared messages with their files, for each deal's attached quotes (C5)."""
    return Prefetch(
        "notes",
        queryset=DealNote.objects.filter(shared=True).prefetch_related("attachments"),
        to_attr="shared_notes_with_files",
    )


def deals_for_user(
    *,
    user: User,
    state: str = "",
    min_active_registrations: int | None = None,
    vendor_crm_id: str = "",
    partner_crm_id: str = "",
    q: str = "",
) -> QuerySet[Deal]:
    """`q` finds a deal by its name or its customer's (the customer's folded, as the
    directory searches it)."""
    deals = (
        Deal.objects.for_user(user)
        .select_related(*DEAL_RELATED)
        .prefetch_related("opportunity__products", shared_notes_prefetch())
        .filter(**by_external_ids(vendor_crm_id=vendor_crm_id, partner_crm_id=partner_crm_id))
    )
    if q.strip():
        deals = deals.filter(
            Q(opportunity__name__icontains=q.strip())
            | Q(opportunity__customer__search_name__contains=fold(q))
        )
    if state:
        deals = deals.filter(opportunity__state=state)
    if min_active_registrations is not None:
        per_customer = (
            active_registrations(user=user)
            .filter(customer=OuterRef("opportunity__customer"))
            .order_by()
            .values("customer")
            .annotate(n=Count("pk"))
            .values("n")
        )
        deals = deals.annotate(active_registrations=Coalesce(Subquery(per_customer), 0)).filter(
            active_registrations__gte=min_active_registrations
        )
    return deals.order_by("-created_at", "-id")


def deal_get(*, user: User, deal_id: int) -> Deal:
    return get_for_user_or_404(
        Deal.objects.select_related(*DEAL_RELATED, "contact").prefetch_related(
            "opportunity__products", shared_notes_prefetch()
        ),
        user,
        pk=deal_id,
    )


def can_work_deal(user: User, deal: Deal) -> bool:
    return Deal.objects.worked_by(user).filter(pk=deal.pk).exists()


def require_deal_worker(user: User, deal: Deal) -> None:
    """Every write on a deal, its notes and their files: whoever only reads it gets a 403."""
    if not can_work_deal(user, deal):
        raise Forbidden(
            _("Only the partner, the deal's sales rep and the program admin change this deal.")
        )


def deal_get_to_change(*, user: User, deal_id: int) -> Deal:
    """A deal its pages and the API are about to change: one the requester only reads (a
    reviewer, a PDM) is a 403 before any form or body is looked at."""
    deal = deal_get(user=user, deal_id=deal_id)
    require_deal_worker(user, deal)
    return deal


def deals_for_record(
    *, user: User, customer: Customer | None = None, contact: Contact | None = None
) -> QuerySet[Deal]:
    """The "Shared deal" card of a customer or contact record: the requester's own deals."""
    deals = deals_for_user(user=user)
    if contact is not None:
        return deals.filter(contact=contact)
    return deals.filter(opportunity__customer=customer)


def deal_history(*, deal: Deal) -> QuerySet[Event]:
    """Changes of the deal and decisions on its registrations. Note events stay out, so no
    private note shows here."""
    registration_ids = [
        str(pk) for pk in deal.opportunity.registrations.values_list("pk", flat=True)
    ]
    return Event.objects.filter(
        Q(object_type=Deal._meta.label_lower, object_id=str(deal.pk))
        | Q(object_type=Registration._meta.label_lower, object_id__in=registration_ids)
    ).select_related("actor")


def stages() -> QuerySet[PipelineStage]:
    return PipelineStage.objects.all()


def first_open_stage() -> PipelineStage | None:
    """Where a new deal starts: the pipeline's first stage that keeps a deal open."""
    return PipelineStage.objects.filter(outcome=OpportunityState.OPEN).first()


def stage_get(*, stage_id: int) -> PipelineStage:
    """A stage the API names: the program's pipeline is the same for everyone, so an unknown
    stage is the body's error, not a missing object."""
    stage = PipelineStage.objects.filter(pk=stage_id).first()
    if stage is None:
        raise field_error("stage_id", _("Unknown stage."), "unknown")
    return stage
