"""/api/v1/partner-applications: anyone applies (no credentials, limited per client address, like
the token exchange); the program admin lists, reads, approves and rejects."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, StrictSchema
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.core.throttling import AnonymousRateThrottle
from openprm.crm.applications import selectors, services
from openprm.crm.applications.models import ApplicationStatus
from openprm.crm.applications.services import ApplicationInput, ApprovalInput
from openprm.crm.applications.throttling import ApplicationRateThrottle
from openprm.crm.partners.api import CountryCode, LocationIn
from openprm.crm.partners.services import LocationInput

router = Router(tags=["crm"])


class ApplicationIn(StrictSchema):
    company_name: str = Field(min_length=1, max_length=200)
    country: str = CountryCode
    website: str = Field(default="", max_length=200)
    contact_name: str = Field(min_length=1, max_length=150)
    contact_email: str = Field(min_length=3, max_length=254)
    message: str = Field(default="", max_length=4000)


class ApplicationSentOut(Schema):
    id: int
    status: ApplicationStatus


class ApplicationOut(Schema):
    id: int
    company_name: str
    country: str
    website: str
    contact_name: str
    contact_email: str
    message: str
    language: str
    status: ApplicationStatus
    created_at: datetime
    decided_at: datetime | None
    decided_by_id: int | None
    rejection_reason: str
    partner_id: int | None = Field(description="The partner organization its approval created")

    @staticmethod
    def resolve_country(obj) -> str:
        return str(obj.country)


class ApplicationFilters(Schema):
    status: ApplicationStatus | None = None


class ApprovalIn(StrictSchema):
    market_country: str = Field(
        default="", pattern=r"^([A-Za-z]{2})?$", description="One of the program's markets"
    )
    currency: str = Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217")
    pdm_id: int | None = Field(default=None, description="A partner development manager's id")
    tier: str = Field(default="", max_length=50, description="The credited tier at start")
    location: LocationIn = Field(description="The partner's first location")


class RejectionIn(StrictSchema):
    reason: str = Field(min_length=1, max_length=2000, description="Sent to the applicant")


@router.post(
    "/partner-applications",
    auth=None,
    throttle=[AnonymousRateThrottle(), ApplicationRateThrottle()],
    response={201: ApplicationSentOut, **ERRORS},
    summary="Apply to become a partner",
)
def create_partner_application(request: HttpRequest, payload: ApplicationIn):
    """Public: no credentials; OPENPRM_PARTNER_APPLICATION_RATE limits each client address."""
    application = services.application_submit(
        data=ApplicationInput(**payload.model_dump()), language=get_language()
    )
    return Status(201, application)


@router.get("/partner-applications", response={200: list[ApplicationOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_partner_applications(request: MemberRequest, filters: Query[ApplicationFilters]):
    return selectors.applications_for_user(user=request.user, status=filters.status or "")


@router.get("/partner-applications/{int:application_id}", response={200: ApplicationOut, **ERRORS})
def get_partner_application(request: MemberRequest, application_id: int):
    return selectors.application_get(user=request.user, application_id=application_id)


@router.post(
    "/partner-applications/{int:application_id}/approve",
    response={200: ApplicationOut, **ERRORS},
)
def approve_partner_application(request: MemberRequest, application_id: int, payload: ApprovalIn):
    """Creates the partner organization and invites the contact as its admin, or neither."""
    return services.application_approve(
        actor=request.user,
        application_id=application_id,
        data=ApprovalInput(
            market=payload.market_country,
            currency=payload.currency,
            pdm_id=payload.pdm_id,
            tier=payload.tier,
            location=LocationInput(**payload.location.model_dump()),
        ),
    )


@router.post(
    "/partner-applications/{int:application_id}/reject",
    response={200: ApplicationOut, **ERRORS},
)
def reject_partner_application(request: MemberRequest, application_id: int, payload: RejectionIn):
    return services.application_reject(
        actor=request.user, application_id=application_id, reason=payload.reason
    )
