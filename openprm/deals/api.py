"""/api/v1/deals and /api/v1/deal-stages: the shared deal itself. Its sub-domains' routers
(saved views, conversion, notes and attachments, registrations) are mounted here, so the site's
API mounts deals as one router. The same services as the pages; another organization's deal is
a 404.
"""

from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import (
    ERRORS,
    UPDATE_ERRORS,
    IsoDate,
    PatchSchema,
    StrictSchema,
    expected_version,
    with_etag,
)
from openprm.core.money import to_minor
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.crm import selectors as crm_selectors
from openprm.crm.models import OpportunityState
from openprm.crm.services import known_currency
from openprm.deals import selectors, services
from openprm.deals.assignment.api import router as assignment_router
from openprm.deals.conversion.api import router as conversion_router
from openprm.deals.notes.api import router as notes_router
from openprm.deals.pipeline.api import router as pipeline_router
from openprm.deals.program.api import router as program_router
from openprm.deals.registrations.api import router as registrations_router
from openprm.deals.saved_views import selectors as saved_view_selectors
from openprm.deals.saved_views.api import router as saved_views_router
from openprm.deals.schemas import DealOut

router = Router(tags=["deals"])


class DealFilters(Schema):
    state: OpportunityState | Literal[""] = ""
    min_active_registrations: int | None = Field(
        None, ge=0, le=1000, description="Customers with at least this many active registrations."
    )
    view: int | None = Field(None, description="One of your saved views; its filters apply.")
    vendor_crm_id: str = Field("", max_length=100)
    partner_crm_id: str = Field("", max_length=100)


class DealIn(StrictSchema):
    customer_id: int | None = Field(None, description="Directory customer; or give contact_id.")
    contact_id: int | None = Field(None, description="Your contact; its customer is used.")
    name: str = Field(min_length=1, max_length=200)
    amount: Decimal = Field(max_digits=18, decimal_places=3)
    mrr: Decimal = Field(max_digits=18, decimal_places=3)
    currency: str = Field(min_length=3, max_length=3)
    close_date: IsoDate
    products: list[int] = Field(min_length=1, max_length=50)
    introduction_note: str = Field("", max_length=2000)
    pain: str = Field("", max_length=2000)
    next_steps: str = Field("", max_length=2000)
    vendor_crm_id: str = Field("", max_length=100)
    partner_crm_id: str = Field("", max_length=100)


class DealPatch(PatchSchema):
    """A key left out keeps its value; null is a 422 (a deal always has each of these)."""

    name: str | None = Field(None, min_length=1, max_length=200)
    amount: Decimal | None = Field(None, max_digits=18, decimal_places=3)
    mrr: Decimal | None = Field(None, max_digits=18, decimal_places=3)
    close_date: IsoDate | None = None
    compensation_eligible: bool | None = None
    products: list[int] | None = Field(None, min_length=1, max_length=50)
    vendor_crm_id: str | None = Field(None, max_length=100)
    partner_crm_id: str | None = Field(None, max_length=100)


class StageIn(StrictSchema):
    stage_id: int


@router.get("/deals", response={200: list[DealOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_deals(request: MemberRequest, filters: Query[DealFilters]):
    state: str = filters.state
    minimum = filters.min_active_registrations
    if filters.view is not None:
        view = saved_view_selectors.deal_view_get(user=request.user, view_id=filters.view)
        state, minimum = view.state, view.min_active_registrations
    return selectors.deals_for_user(
        user=request.user,
        state=state,
        min_active_registrations=minimum,
        vendor_crm_id=filters.vendor_crm_id,
        partner_crm_id=filters.partner_crm_id,
    )


@router.get("/deals/{int:deal_id}", response={200: DealOut, **ERRORS})
def get_deal(request: MemberRequest, deal_id: int, response: HttpResponse):
    return with_etag(response, selectors.deal_get(user=request.user, deal_id=deal_id))


@router.post("/deals", response={201: DealOut, **ERRORS})
def create_deal(request: MemberRequest, payload: DealIn, response: HttpResponse):
    user = request.user
    contact = customer = None
    if payload.contact_id is not None:
        contact = crm_selectors.contact_get(user=user, contact_id=payload.contact_id)
    elif payload.customer_id is not None:
        customer = crm_selectors.customer_get(user=user, customer_id=payload.customer_id)
    currency = known_currency(payload.currency)
    deal = services.deal_create(
        actor=user,
        customer=customer,
        contact=contact,
        name=payload.name,
        amount_minor=to_minor(payload.amount, currency.code, field="amount"),
        mrr_minor=to_minor(payload.mrr, currency.code, field="mrr"),
        currency=currency,
        close_date=payload.close_date,
        product_ids=payload.products,
        introduction_note=payload.introduction_note,
        pain=payload.pain,
        next_steps=payload.next_steps,
        vendor_crm_id=payload.vendor_crm_id,
        partner_crm_id=payload.partner_crm_id,
    )
    return 201, with_etag(response, selectors.deal_get(user=user, deal_id=deal.pk))


@router.patch("/deals/{int:deal_id}", response={200: DealOut, **UPDATE_ERRORS})
def update_deal(request: MemberRequest, deal_id: int, payload: DealPatch, response: HttpResponse):
    user = request.user
    deal = selectors.deal_get_to_change(user=user, deal_id=deal_id)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request)
    currency = deal.opportunity.currency_id
    for field in ("amount", "mrr"):
        if field in data:
            data[f"{field}_minor"] = to_minor(data.pop(field), currency, field=field)
    product_ids = data.pop("products", None)
    services.deal_edit(
        deal=deal, actor=user, expected_version=version, product_ids=product_ids, **data
    )
    return with_etag(response, selectors.deal_get(user=user, deal_id=deal_id))


@router.post("/deals/{int:deal_id}/stage", response={200: DealOut, **UPDATE_ERRORS})
def move_deal_stage(request: MemberRequest, deal_id: int, payload: StageIn, response: HttpResponse):
    user = request.user
    deal = selectors.deal_get_to_change(user=user, deal_id=deal_id)
    stage = selectors.stage_get(stage_id=payload.stage_id)
    services.deal_move_stage(
        deal=deal, actor=user, stage=stage, expected_version=expected_version(request)
    )
    return with_etag(response, selectors.deal_get(user=user, deal_id=deal_id))


router.add_router("", saved_views_router)
router.add_router("", conversion_router)
router.add_router("", notes_router)
router.add_router("", registrations_router)
router.add_router("", pipeline_router)
router.add_router("", assignment_router)
router.add_router("", program_router)
