"""/api/v1/registrations: the vendor's one queue for both kinds of registration, the decisions
on it, the partner's answer and the C9 extension. The same services as the pages; another
organization's registration is a 404. Each operation keeps the operationId it was published
under when deals/api.py held it.
"""

import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import (
    ERRORS,
    UPDATE_ERRORS,
    Ref,
    StrictSchema,
    expected_version,
    with_etag,
)
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.deals.models import Registration, RegistrationKind, RegistrationState
from openprm.deals.registrations import selectors, services

router = Router()


class TransitionOut(Schema):
    from_state: RegistrationState | Literal[""]
    to_state: RegistrationState
    note: str
    created_at: datetime.datetime


class RegistrationOut(Schema):
    id: int
    kind: RegistrationKind
    partner: Ref = Field(alias="organization")
    customer: Ref
    opportunity_id: int
    deal_id: int | None
    products: list[Ref]
    state: RegistrationState
    exclusive: bool
    expires_at: datetime.datetime
    reason: str
    info_request: str
    partner_answer: str
    extension_requested_at: datetime.datetime | None
    extension_reason: str
    transitions: list[TransitionOut]
    version: int

    @staticmethod
    def resolve_deal_id(obj: Registration) -> int | None:
        deal = getattr(obj.opportunity, "shared_deal", None)
        return deal.pk if deal is not None else None

    @staticmethod
    def resolve_products(obj: Registration) -> list:
        return list(obj.products.all())

    @staticmethod
    def resolve_transitions(obj: Registration) -> list:
        return list(obj.transitions.all())


class RegistrationFilters(Schema):
    queue: bool = Field(False, description="Only those waiting for a reviewer (status=pending).")
    status: Literal["pending", "more_info_requested", "approved", "rejected", "expired"] | None = (
        Field(
            None,
            description="pending: waiting for a reviewer (submitted, in review because of a "
            "conflict, or an extension requested); otherwise that state. Every one when absent.",
        )
    )
    sort: Literal["oldest", "newest"] = Field("oldest", description="By submission date.")


class ReasonIn(StrictSchema):
    reason: str = Field(min_length=1, max_length=2000)


class AnswerIn(StrictSchema):
    answer: str = Field(min_length=1, max_length=2000)


@router.get(
    "/registrations",
    response={200: list[RegistrationOut], **ERRORS},
    operation_id="openprm_deals_api_list_registrations",
)
@paginate(LimitOffsetPagination)
def list_registrations(request: MemberRequest, filters: Query[RegistrationFilters]):
    return selectors.registrations_for_user(
        user=request.user, queue=filters.queue, status=filters.status or "", sort=filters.sort
    )


def registration_for(request: MemberRequest, registration_id: int) -> Registration:
    return selectors.registration_get(user=request.user, registration_id=registration_id)


def answer(request: MemberRequest, response: HttpResponse, registration_id: int):
    """The registration as it is after the write, with its new ETag."""
    return with_etag(response, registration_for(request, registration_id))


@router.get(
    "/registrations/{int:registration_id}",
    response={200: RegistrationOut, **ERRORS},
    operation_id="openprm_deals_api_get_registration",
)
def get_registration(request: MemberRequest, registration_id: int, response: HttpResponse):
    return answer(request, response, registration_id)


def decide(
    request: MemberRequest, response: HttpResponse, registration_id: int, action: str, reason: str
):
    services.registration_decide(
        registration=registration_for(request, registration_id),
        action=action,
        actor=request.user,
        reason=reason,
        expected_version=expected_version(request),
    )
    return answer(request, response, registration_id)


@router.post(
    "/registrations/{int:registration_id}/approve",
    response={200: RegistrationOut, **UPDATE_ERRORS},
    operation_id="openprm_deals_api_approve_registration",
)
def approve_registration(request: MemberRequest, registration_id: int, response: HttpResponse):
    return decide(request, response, registration_id, "approve", "")


@router.post(
    "/registrations/{int:registration_id}/reject",
    response={200: RegistrationOut, **UPDATE_ERRORS},
    operation_id="openprm_deals_api_reject_registration",
)
def reject_registration(
    request: MemberRequest, registration_id: int, payload: ReasonIn, response: HttpResponse
):
    return decide(request, response, registration_id, "reject", payload.reason)


@router.post(
    "/registrations/{int:registration_id}/request-info",
    response={200: RegistrationOut, **UPDATE_ERRORS},
    operation_id="openprm_deals_api_request_registration_info",
)
def request_registration_info(
    request: MemberRequest, registration_id: int, payload: ReasonIn, response: HttpResponse
):
    return decide(request, response, registration_id, "request_info", payload.reason)


@router.post(
    "/registrations/{int:registration_id}/resubmit",
    response={200: RegistrationOut, **UPDATE_ERRORS},
    operation_id="openprm_deals_api_resubmit_registration",
)
def resubmit_registration(
    request: MemberRequest, registration_id: int, payload: AnswerIn, response: HttpResponse
):
    services.registration_resubmit(
        registration=registration_for(request, registration_id),
        actor=request.user,
        answer=payload.answer,
        expected_version=expected_version(request),
    )
    return answer(request, response, registration_id)


@router.post(
    "/registrations/{int:registration_id}/extension",
    response={200: RegistrationOut, **UPDATE_ERRORS},
    operation_id="openprm_deals_api_request_extension",
)
def request_extension(
    request: MemberRequest, registration_id: int, payload: ReasonIn, response: HttpResponse
):
    services.extension_request(
        registration=registration_for(request, registration_id),
        actor=request.user,
        reason=payload.reason,
        expected_version=expected_version(request),
    )
    return answer(request, response, registration_id)


class ExtensionDecisionIn(StrictSchema):
    grant: bool
    reason: str = Field("", max_length=2000)


@router.post(
    "/registrations/{int:registration_id}/extension/decision",
    response={200: RegistrationOut, **UPDATE_ERRORS},
    operation_id="openprm_deals_api_decide_extension",
)
def decide_extension(
    request: MemberRequest,
    registration_id: int,
    payload: ExtensionDecisionIn,
    response: HttpResponse,
):
    services.extension_decide(
        registration=registration_for(request, registration_id),
        actor=request.user,
        grant=payload.grant,
        reason=payload.reason,
        expected_version=expected_version(request),
    )
    return answer(request, response, registration_id)
