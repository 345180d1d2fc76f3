"""/api/v1/deals/views: the requester's saved deal views (C7). Each operation keeps the
operationId it was published under when deals/api.py held it.
"""

import datetime
from typing import Literal

from ninja import Field, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, StrictSchema
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.crm.models import OpportunityState
from openprm.deals.saved_views import selectors, services

router = Router()


class DealViewOut(Schema):
    id: int
    name: str
    state: OpportunityState | Literal[""]
    min_active_registrations: int | None
    created_at: datetime.datetime


class DealViewIn(StrictSchema):
    name: str = Field(min_length=1, max_length=80)
    state: OpportunityState | Literal[""] = ""
    min_active_registrations: int | None = Field(None, ge=0, le=1000)


@router.get(
    "/deals/views",
    response={200: list[DealViewOut], **ERRORS},
    operation_id="openprm_deals_api_list_deal_views",
)
@paginate(LimitOffsetPagination)
def list_deal_views(request: MemberRequest):
    return selectors.deal_views_for_user(user=request.user)


@router.post(
    "/deals/views",
    response={201: DealViewOut, **ERRORS},
    operation_id="openprm_deals_api_create_deal_view",
)
def create_deal_view(request: MemberRequest, payload: DealViewIn):
    return 201, services.deal_view_create(
        actor=request.user,
        name=payload.name,
        state=payload.state,
        min_active_registrations=payload.min_active_registrations,
    )


@router.delete(
    "/deals/views/{int:view_id}",
    response={204: None, **ERRORS},
    operation_id="openprm_deals_api_delete_deal_view",
)
def delete_deal_view(request: MemberRequest, view_id: int):
    view = selectors.deal_view_get(user=request.user, view_id=view_id)
    services.deal_view_delete(view=view, actor=request.user)
    return 204, None
