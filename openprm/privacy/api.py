"""/api/v1/privacy: what is held about a person, its export, and erasures (the Settings page's
"Privacy requests"). Partner admins and the program admin only; anyone else gets a 404."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, StrictSchema
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.privacy import selectors, services
from openprm.privacy.export import export_response

router = Router(tags=["privacy"])


class SubjectQuery(Schema):
    email: str = Field("", max_length=254, description="The person's email, in any case.")
    contact_id: int | None = Field(None, description="One of your contacts.")


class RecordOut(Schema):
    kind: Literal["contact", "referral"]
    id: int
    partner_id: int
    partner_name: str
    deal_name: str
    name: str
    email: str
    phone: str
    versions: int = Field(description="History copies holding the same fields.")
    deleted: bool = Field(description="Only history copies remain.")
    erased_at: datetime | None


class ErasureOut(Schema):
    id: int
    organization_id: int = Field(description="The organization whose admin erased.")
    erased_by_id: int | None
    reason: str
    contacts: int
    contact_versions: int
    referrals: int
    referral_versions: int
    created_at: datetime


class SubjectOut(Schema):
    email: str
    contact_id: int | None
    records: list[RecordOut]
    earlier_erasures: list[ErasureOut]


class ErasureIn(StrictSchema):
    email: str = Field("", max_length=254, description="The person's email; or give contact_id.")
    contact_id: int | None = Field(None, description="One of your contacts.")
    reason: str = Field(
        max_length=500,
        description="Where the request came from (a ticket, a letter); no personal data.",
    )


@router.get(
    "/privacy/subjects",
    response={200: SubjectOut, **ERRORS},
    summary="What is held about a person",
)
def get_subject(request: MemberRequest, query: Query[SubjectQuery]):
    holdings = selectors.holdings_for(
        user=request.user, email=query.email, contact_id=query.contact_id
    )
    return {
        "email": holdings.subject.email,
        "contact_id": holdings.subject.contact_id,
        "records": selectors.record_rows(holdings),
        "earlier_erasures": selectors.earlier_erasures(user=request.user, subject=holdings.subject),
    }


@router.get(
    "/privacy/subjects/export",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "The person's data as JSON."}}},
    summary="Export a person's data",
)
def export_subject(request: MemberRequest, query: Query[SubjectQuery]):
    """The same file as the Settings page's "Export personal data"."""
    holdings = selectors.holdings_for(
        user=request.user, email=query.email, contact_id=query.contact_id
    )
    return export_response(holdings)


@router.get("/privacy/erasures", response={200: list[ErasureOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_erasures(request: MemberRequest):
    return selectors.erasures_for_user(user=request.user)


@router.post(
    "/privacy/erasures",
    response={201: ErasureOut, **ERRORS},
    summary="Erase a person's data",
)
def create_erasure(request: MemberRequest, payload: ErasureIn):
    erasure = services.erasure_create(
        actor=request.user,
        email=payload.email,
        contact_id=payload.contact_id,
        reason=payload.reason,
    )
    return Status(201, erasure)
