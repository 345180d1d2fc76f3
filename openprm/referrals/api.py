"""/api/v1/referrals: the D9 resource (status/substatus, customer profile with DUNS, consent,
details, team, ETag), its actions `send`, `accept`, `decline`, `stages`, `close`, `team` and
`registration`, the partner's CRM stage mapping, the campaign report and the export.

Sending is `POST /referrals/send` (a sent referral is Received at once; there are no drafts).
The same services as the pages; another organization's referral is a 404. An action the
current state does not allow is a 409 whose message lists the allowed actions.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import (
    ERRORS,
    STRICT_UPLOAD,
    UPDATE_ERRORS,
    expected_version,
    only_parts,
    with_etag,
)
from openprm.core.money import to_minor
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.crm import selectors as crm_selectors
from openprm.crm.services import known_currency
from openprm.referrals import export, selectors
from openprm.referrals.checks import Contact
from openprm.referrals.creation.services import Details, referral_create
from openprm.referrals.crm_stages.selectors import crm_stage_get, crm_stages_for_user
from openprm.referrals.crm_stages.services import crm_stage_delete, crm_stage_save
from openprm.referrals.lifecycle.services import (
    referral_accept,
    referral_close,
    referral_decline,
    referral_update,
)
from openprm.referrals.models import Referral
from openprm.referrals.program.api import router as program_router
from openprm.referrals.registration.services import referral_register
from openprm.referrals.schemas import (
    AcceptIn,
    CampaignOut,
    CloseIn,
    CrmStageIn,
    CrmStageOut,
    DeclineIn,
    ExportFilters,
    ListFilters,
    ReferralContactIn,
    ReferralIn,
    ReferralOut,
    ReferralPatch,
    RegistrationIn,
    SalesStageOut,
    SendIn,
    SolutionTypeOut,
    StagesIn,
    TeamIn,
    TeamMemberIn,
    TeamMemberPatch,
    TeamMemberRemoval,
)
from openprm.referrals.sending.services import referral_send
from openprm.referrals.solution_types.api import router as solution_types_router
from openprm.referrals.stages.selectors import sales_stages
from openprm.referrals.stages.services import referral_mark_stage
from openprm.referrals.team.services import (
    referral_team_add,
    referral_team_member_remove,
    referral_team_member_update,
)
from openprm.referrals.vetting.api import router as vetting_router

router = Router(tags=["referrals"])

# Service field names -> the API's names for the same input.
API_FIELDS = {
    "partner": "partner_id",
    "customer": "customer_id",
    "location": "location_id",
    "assessment_location": "assessment_location_id",
    "contact_name": "contact.name",
    "contact_phone": "contact.phone",
    "contact_email": "contact.email",
    "amount_minor": "value",
    "mrr_minor": "mrr",
}


@contextmanager
def api_field_names() -> Iterator[None]:
    """Field errors name the API's fields (location_id, contact.email), not the service's."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {API_FIELDS.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from None


def minor(value: Decimal | None, currency: str, field: str) -> int | None:
    return None if value is None else to_minor(value, currency, field=field)


def referral_for(request: MemberRequest, referral_id: int) -> Referral:
    return selectors.referral_get(user=request.user, referral_id=referral_id)


def answer(request: MemberRequest, response: HttpResponse, referral_id: int) -> Referral:
    return with_etag(response, referral_for(request, referral_id))


def team_of(members: list[TeamMemberIn]) -> list[dict[str, str]]:
    return [member.dict() for member in members]


def contact_of(contact: ReferralContactIn | None) -> Contact:
    return Contact(**contact.dict()) if contact else Contact()


# --- the resource ------------------------------------------------------------------------------


@router.get("/referrals", response={200: list[ReferralOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_referrals(request: MemberRequest, filters: Query[ListFilters]):
    return selectors.referrals_for_user(user=request.user, filters=filters.to_filters())


@router.post("/referrals", response={201: ReferralOut, **ERRORS})
def create_referral(request: MemberRequest, payload: ReferralIn, response: HttpResponse):
    """D2 "New deal": lands on the Outbound tab as Accepted."""
    user = request.user
    customer = None
    if payload.customer_id is not None:
        customer = crm_selectors.customer_get(user=user, customer_id=payload.customer_id)
    with api_field_names():
        currency = known_currency(payload.currency).code
        referral = referral_create(
            actor=user,
            kind=payload.kind,
            customer=customer,
            new_customer=payload.new_customer.dict() if payload.new_customer else None,
            details=Details(
                name=payload.name,
                location=payload.location_id,
                amount_minor=to_minor(payload.value, currency, field="value"),
                currency=currency,
                estimated_close_date=payload.estimated_close_date,
                notes=payload.notes,
                crm_id=payload.crm_id,
                campaign_id=payload.campaign_id,
                vendor_crm_id=payload.vendor_crm_id,
            ),
            team=team_of(payload.team),
            agreed=payload.agreed,
            contact=contact_of(payload.contact),
            consent=payload.consent,
            specialist_memo=payload.specialist_memo,
            vendor_help_requested=payload.vendor_help_requested,
            solution_type_ids=payload.solution_type_ids,
            assessment_location=payload.assessment_location_id,
        )
    return Status(201, answer(request, response, referral.pk))


@router.post("/referrals/send", response={201: ReferralOut, **ERRORS})
def send_referral(request: MemberRequest, payload: SendIn, response: HttpResponse):
    """D1 "Send referral": Received on the partner's Inbound tab, with its expiry."""
    user = request.user
    customer = crm_selectors.customer_get(user=user, customer_id=payload.customer_id)
    partner = selectors.partner_get(partner_id=payload.partner_id)
    with api_field_names():
        currency = known_currency(payload.currency).code
        referral = referral_send(
            actor=user,
            partner=partner,
            customer=customer,
            name=payload.name,
            amount_minor=to_minor(payload.value, currency, field="value"),
            currency=currency,
            notes=payload.notes,
            location=payload.location_id,
            contact=contact_of(payload.contact),
            consent=payload.consent,
            estimated_close_date=payload.estimated_close_date,
            vendor_crm_id=payload.vendor_crm_id,
        )
    return Status(201, answer(request, response, referral.pk))


@router.get("/referrals/{int:referral_id}", response={200: ReferralOut, **ERRORS})
def get_referral(request: MemberRequest, referral_id: int, response: HttpResponse):
    return answer(request, response, referral_id)


@router.patch("/referrals/{int:referral_id}", response={200: ReferralOut, **UPDATE_ERRORS})
def update_referral(
    request: MemberRequest, referral_id: int, payload: ReferralPatch, response: HttpResponse
):
    """D5 "Edit"; `crm_stage` or `stage_percentage` marks the mapped standard stage (D9)."""
    referral = referral_for(request, referral_id)
    data = payload.dict(exclude_unset=True)
    if "value" in data:
        data["amount_minor"] = minor(data.pop("value"), referral.opportunity.currency_id, "value")
    with api_field_names():
        referral_update(
            referral=referral,
            actor=request.user,
            expected_version=expected_version(request),
            **data,
        )
    return answer(request, response, referral_id)


@router.post("/referrals/{int:referral_id}/accept", response={200: ReferralOut, **UPDATE_ERRORS})
def accept_referral(
    request: MemberRequest, referral_id: int, payload: AcceptIn, response: HttpResponse
):
    referral = referral_for(request, referral_id)
    with api_field_names():
        referral_accept(
            referral=referral,
            actor=request.user,
            notes=payload.notes,
            name=payload.name,
            amount_minor=minor(payload.value, referral.opportunity.currency_id, "value"),
            purchase_timeframe=payload.purchase_timeframe,
            crm_id=payload.crm_id,
            campaign_id=payload.campaign_id,
            team=team_of(payload.team),
            expected_version=expected_version(request),
        )
    return answer(request, response, referral_id)


@router.post("/referrals/{int:referral_id}/decline", response={200: ReferralOut, **UPDATE_ERRORS})
def decline_referral(
    request: MemberRequest, referral_id: int, payload: DeclineIn, response: HttpResponse
):
    referral_decline(
        referral=referral_for(request, referral_id),
        actor=request.user,
        reason=payload.reason,
        message=payload.message,
        expected_version=expected_version(request),
    )
    return answer(request, response, referral_id)


@router.post("/referrals/{int:referral_id}/stages", response={200: ReferralOut, **UPDATE_ERRORS})
def mark_stage(request: MemberRequest, referral_id: int, payload: StagesIn, response: HttpResponse):
    referral_mark_stage(
        referral=referral_for(request, referral_id),
        actor=request.user,
        stage=payload.stage,
        crm_stage=payload.crm_stage,
        percentage=payload.percentage,
        expected_version=expected_version(request),
    )
    return answer(request, response, referral_id)


@router.post("/referrals/{int:referral_id}/close", response={200: ReferralOut, **UPDATE_ERRORS})
def close_referral(
    request: MemberRequest, referral_id: int, payload: CloseIn, response: HttpResponse
):
    referral = referral_for(request, referral_id)
    currency = referral.opportunity.currency_id
    with api_field_names():
        referral_close(
            referral=referral,
            actor=request.user,
            outcome=payload.outcome,
            lost_reason=payload.lost_reason,
            note=payload.note,
            closed_on=payload.closed_on,
            amount_minor=minor(payload.value, currency, "value"),
            mrr_minor=minor(payload.mrr, currency, "mrr"),
            expected_version=expected_version(request),
        )
    return answer(request, response, referral_id)


@router.post("/referrals/{int:referral_id}/team", response={200: ReferralOut, **UPDATE_ERRORS})
def add_team(request: MemberRequest, referral_id: int, payload: TeamIn, response: HttpResponse):
    referral_team_add(
        referral=referral_for(request, referral_id),
        actor=request.user,
        members=team_of(payload.members),
        expected_version=expected_version(request),
    )
    return answer(request, response, referral_id)


@router.patch(
    "/referrals/{int:referral_id}/team/{int:member_id}",
    response={200: ReferralOut, **UPDATE_ERRORS},
)
def update_team_member(
    request: MemberRequest,
    referral_id: int,
    member_id: int,
    payload: TeamMemberPatch,
    response: HttpResponse,
):
    """D2: change a team member's details, or make them the owner (`owner: true`)."""
    referral_team_member_update(
        referral=referral_for(request, referral_id),
        actor=request.user,
        member_id=member_id,
        expected_version=expected_version(request),
        **payload.dict(exclude_unset=True),
    )
    return answer(request, response, referral_id)


@router.delete(
    "/referrals/{int:referral_id}/team/{int:member_id}",
    response={200: ReferralOut, **UPDATE_ERRORS},
)
def remove_team_member(
    request: MemberRequest,
    referral_id: int,
    member_id: int,
    query: Query[TeamMemberRemoval],
    response: HttpResponse,
):
    """D2: a member leaves the team; the owner only with `new_owner_id`, the last one never."""
    referral_team_member_remove(
        referral=referral_for(request, referral_id),
        actor=request.user,
        member_id=member_id,
        new_owner_id=query.new_owner_id,
        expected_version=expected_version(request),
    )
    return answer(request, response, referral_id)


@router.post(
    "/referrals/{int:referral_id}/registration",
    response={201: ReferralOut, **UPDATE_ERRORS},
    openapi_extra=STRICT_UPLOAD,
)
def register_referral(
    request: MemberRequest,
    referral_id: int,
    response: HttpResponse,
    payload: Form[RegistrationIn],
    proof: File[UploadedFile],
):
    """D8: multipart: won_value, closed_on, account_ids and the `proof` file."""
    referral = referral_for(request, referral_id)
    only_parts(request, *RegistrationIn.model_fields, "proof")
    with api_field_names():
        referral_register(
            referral=referral,
            actor=request.user,
            won_value_minor=to_minor(
                payload.won_value, referral.opportunity.currency_id, field="won_value"
            ),
            closed_on=payload.closed_on,
            account_ids=payload.account_ids,
            proof=proof,
            expected_version=expected_version(request),
        )
    return Status(201, answer(request, response, referral_id))


# --- program data, the partner's CRM stages, the campaign report, the export -------------------


@router.get("/referrals/sales-stages", response={200: list[SalesStageOut], **ERRORS})
def list_sales_stages(request: MemberRequest):
    return list(sales_stages())


@router.get("/referrals/solution-types", response={200: list[SolutionTypeOut], **ERRORS})
def list_solution_types(request: MemberRequest):
    """The types the requester's partner may choose: none unless the vendor vetted it."""
    return list(selectors.solution_types_for(user=request.user))


@router.get("/referrals/stage-mappings", response={200: list[CrmStageOut], **ERRORS})
def list_crm_stages(request: MemberRequest):
    return list(crm_stages_for_user(user=request.user))


@router.post("/referrals/stage-mappings", response={201: CrmStageOut, **ERRORS})
def save_crm_stage(request: MemberRequest, payload: CrmStageIn):
    """Adds one of your CRM's stages, or gives an existing name a new percentage."""
    stage = crm_stage_save(actor=request.user, name=payload.name, percentage=payload.percentage)
    return Status(201, stage)


@router.delete("/referrals/stage-mappings/{int:stage_id}", response={204: None, **ERRORS})
def delete_crm_stage(request: MemberRequest, stage_id: int):
    stage = crm_stage_get(user=request.user, stage_id=stage_id)
    crm_stage_delete(actor=request.user, stage=stage)
    return Status(204, None)


@router.get("/referrals/campaigns", response={200: list[CampaignOut], **ERRORS})
def campaign_report(request: MemberRequest, filters: Query[ListFilters]):
    """Per marketing campaign ID: referrals created, won, won value per currency, win rate
    (won out of those won or lost)."""
    return selectors.campaign_report(user=request.user, filters=filters.to_filters())


@router.get(
    "/referrals/export",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The filtered list as CSV or XLSX.",
                "content": {content_type: {} for content_type in export.FORMATS.values()},
            }
        }
    },
)
def export_referrals(request: MemberRequest, filters: Query[ExportFilters]):
    content, content_type, filename = export.referrals_export(
        user=request.user, filters=filters.to_filters(), file_format=filters.format
    )
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


router.add_router("", solution_types_router)
router.add_router("", program_router)
router.add_router("", vetting_router)
