"""/api/v1/deals (shared deals, notes, comments, attachments) and /api/v1/registrations.
The same services as the pages; another organization's deal is a 404.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from openprm.accounts.api_auth import MemberRequest
from openprm.accounts.models import Organization, User
from openprm.core.api import (
    DOWNLOAD_ERRORS,
    ERRORS,
    STRICT_UPLOAD,
    UPDATE_ERRORS,
    IsoDate,
    PatchSchema,
    Ref,
    StrictSchema,
    expected_version,
    only_parts,
    with_etag,
)
from openprm.core.errors import NotFound, field_error
from openprm.core.files import stored_file_response
from openprm.core.money import from_minor, to_minor
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.crm import selectors as crm_selectors
from openprm.crm.models import OpportunityState, Source
from openprm.crm.services import known_currency
from openprm.deals import (
    conversion,
    extensions,
    notes,
    registrations,
    saved_views,
    selectors,
    services,
    uploads,
)
from openprm.deals.models import (
    Deal,
    PipelineStage,
    Registration,
    RegistrationKind,
    RegistrationState,
    Side,
)

router = Router(tags=["deals"])


class UserRef(Schema):
    id: int
    full_name: str


class PipelineStageOut(Schema):
    id: int
    name: str
    outcome: OpportunityState


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class DealOut(Schema):
    id: int
    partner: Ref = Field(alias="organization")
    customer: Ref
    contact_id: int | None
    name: str
    amount: Decimal
    mrr: Decimal
    currency: str
    state: OpportunityState
    stage: PipelineStageOut | None
    close_date: IsoDate
    closed_on: IsoDate | None
    products: list[Ref]
    compensation_eligible: bool
    quotes: list[AttachmentOut] = Field(description="The files of the deal's shared messages.")
    introduction_note: str
    pain: str
    next_steps: str
    assigned_rep: UserRef | None
    partner_owner: UserRef | None
    source: Source
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_customer(obj: Deal) -> object:
        return obj.opportunity.customer

    @staticmethod
    def resolve_name(obj: Deal) -> str:
        return obj.opportunity.name

    @staticmethod
    def resolve_amount(obj: Deal) -> Decimal:
        return from_minor(obj.opportunity.amount_minor, obj.opportunity.currency_id)

    @staticmethod
    def resolve_mrr(obj: Deal) -> Decimal:
        return from_minor(obj.opportunity.mrr_minor, obj.opportunity.currency_id)

    @staticmethod
    def resolve_currency(obj: Deal) -> str:
        return obj.opportunity.currency_id

    @staticmethod
    def resolve_state(obj: Deal) -> str:
        return obj.opportunity.state

    @staticmethod
    def resolve_source(obj: Deal) -> str:
        return obj.opportunity.source

    @staticmethod
    def resolve_closed_on(obj: Deal) -> datetime.date | None:
        return obj.opportunity.closed_on

    @staticmethod
    def resolve_products(obj: Deal) -> list:
        return list(obj.opportunity.products.all())

    @staticmethod
    def resolve_quotes(obj: Deal) -> list:
        notes = getattr(obj, "shared_notes_with_files", None)
        if notes is None:
            return list(selectors.shared_attachments(deal=obj))
        return sorted((a for note in notes for a in note.attachments.all()), key=lambda a: a.pk)


class DealFilters(Schema):
    state: OpportunityState | Literal[""] = ""
    min_active_registrations: int | None = Field(
        None, ge=0, le=1000, description="Customers with at least this many active registrations."
    )
    view: int | None = Field(None, description="One of your saved views; its filters apply.")


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


class DealPatch(PatchSchema):
    """A key left out keeps its value; null is a 422 (a deal always has each of these)."""

    name: str | None = Field(None, min_length=1, max_length=200)
    amount: Decimal | None = Field(None, max_digits=18, decimal_places=3)
    mrr: Decimal | None = Field(None, max_digits=18, decimal_places=3)
    close_date: IsoDate | None = None
    compensation_eligible: bool | None = None
    products: list[int] | None = Field(None, min_length=1, max_length=50)


class StageIn(StrictSchema):
    stage_id: int


@router.get("/deals", response={200: list[DealOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_deals(request: MemberRequest, filters: Query[DealFilters]):
    state: str = filters.state
    minimum = filters.min_active_registrations
    if filters.view is not None:
        view = selectors.deal_view_get(user=request.user, view_id=filters.view)
        state, minimum = view.state, view.min_active_registrations
    return selectors.deals_for_user(
        user=request.user, state=state, min_active_registrations=minimum
    )


# --- saved deal views (C7) ------------------------------------------------------------------


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


@router.get("/deals/views", response={200: list[DealViewOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_deal_views(request: MemberRequest):
    return selectors.deal_views_for_user(user=request.user)


@router.post("/deals/views", response={201: DealViewOut, **ERRORS})
def create_deal_view(request: MemberRequest, payload: DealViewIn):
    return 201, saved_views.deal_view_create(
        actor=request.user,
        name=payload.name,
        state=payload.state,
        min_active_registrations=payload.min_active_registrations,
    )


@router.delete("/deals/views/{int:view_id}", response={204: None, **ERRORS})
def delete_deal_view(request: MemberRequest, view_id: int):
    view = selectors.deal_view_get(user=request.user, view_id=view_id)
    saved_views.deal_view_delete(view=view, actor=request.user)
    return 204, None


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
    with transaction.atomic():
        if data:
            deal = services.deal_update(deal=deal, actor=user, expected_version=version, **data)
            version = None
        if product_ids is not None:
            services.deal_change_product(
                deal=deal, actor=user, product_ids=product_ids, expected_version=version
            )
    return with_etag(response, selectors.deal_get(user=user, deal_id=deal_id))


@router.post("/deals/{int:deal_id}/stage", response={200: DealOut, **UPDATE_ERRORS})
def move_deal_stage(request: MemberRequest, deal_id: int, payload: StageIn, response: HttpResponse):
    user = request.user
    deal = selectors.deal_get_to_change(user=user, deal_id=deal_id)
    stage = PipelineStage.objects.filter(pk=payload.stage_id).first()
    if stage is None:
        raise field_error("stage_id", _("Unknown stage."), "unknown")
    services.deal_move_stage(
        deal=deal, actor=user, stage=stage, expected_version=expected_version(request)
    )
    return with_etag(response, selectors.deal_get(user=user, deal_id=deal_id))


class ConvertIn(StrictSchema):
    opportunity_id: int = Field(description="One of the vendor's own open opportunities.")
    partner_id: int
    owner_id: int | None = Field(
        None,
        description="The partner's person who owns the deal; by default the partner's lead"
        " notification recipient.",
    )
    welcome_note: str = Field(min_length=1, max_length=2000)
    close_date: IsoDate | None = None
    confirmed: bool = Field(
        description="You have reached out to this partner to confirm availability to work the deal."
    )


@router.post("/deals/convert", response={201: DealOut, **ERRORS})
def convert_deal(request: MemberRequest, payload: ConvertIn, response: HttpResponse):
    """C4: "Convert to shared deal" > partner > partner contact > welcome note > "Add partner"."""
    user = request.user
    opportunity = conversion.vendor_opportunity_get(
        user=user, opportunity_id=payload.opportunity_id
    )
    partner = Organization.objects.filter(pk=payload.partner_id).first()
    owner = None
    if payload.owner_id is not None:
        owner = User.objects.filter(pk=payload.owner_id).first()
        if owner is None:
            raise field_error("owner_id", _("Choose one of the partner's people."), "invalid")
    deal = conversion.deal_convert(
        opportunity=opportunity,
        actor=user,
        partner=partner,
        owner=owner,
        welcome_note=payload.welcome_note,
        close_date=payload.close_date,
        confirmed=payload.confirmed,
    )
    return 201, with_etag(response, selectors.deal_get(user=user, deal_id=deal.pk))


@router.get("/deal-stages", response={200: list[PipelineStageOut], **ERRORS})
def list_stages(request: MemberRequest):
    return list(selectors.stages())


# --- notes, comments, attachments (C6) ----------------------------------------------------


class CommentOut(Schema):
    id: int
    side: Side
    author: UserRef | None
    body: str
    created_at: datetime.datetime


class NoteOut(Schema):
    id: int
    shared: bool
    side: Side
    author: UserRef | None
    body: str
    attachments: list[AttachmentOut]
    comments: list[CommentOut]
    created_at: datetime.datetime

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_comments(obj) -> list:
        return list(obj.comments.all())


class NoteFilters(Schema):
    shared: bool = Field(True, description="true: the Shared tab; false: your side's notes.")


class NoteIn(StrictSchema):
    body: str = Field(min_length=1, max_length=10000)
    shared: bool = Field(description="true: a shared message; false: a private note.")


class CommentIn(StrictSchema):
    body: str = Field(min_length=1, max_length=2000)


@router.get("/deals/{int:deal_id}/notes", response={200: list[NoteOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_notes(request: MemberRequest, deal_id: int, filters: Query[NoteFilters]):
    deal = selectors.deal_get(user=request.user, deal_id=deal_id)
    return selectors.notes_for(deal=deal, user=request.user, shared=filters.shared)


@router.post("/deals/{int:deal_id}/notes", response={201: NoteOut, **ERRORS})
def create_note(request: MemberRequest, deal_id: int, payload: NoteIn):
    deal = selectors.deal_get_to_change(user=request.user, deal_id=deal_id)
    note = notes.note_create(
        deal=deal, actor=request.user, body=payload.body, shared=payload.shared
    )
    return 201, note


@router.post(
    "/deals/{int:deal_id}/notes/{int:note_id}/attachments",
    response={201: list[AttachmentOut], **ERRORS},
    openapi_extra=STRICT_UPLOAD,
)
def upload_attachment(request: MemberRequest, deal_id: int, note_id: int, file: File[UploadedFile]):
    deal = selectors.deal_get_to_change(user=request.user, deal_id=deal_id)
    note = selectors.note_get(deal=deal, user=request.user, note_id=note_id)
    only_parts(request, "file")
    return 201, notes.attachments_add(note=note, actor=request.user, files=[file])


@router.post(
    "/deals/{int:deal_id}/notes/{int:note_id}/comments", response={201: CommentOut, **ERRORS}
)
def create_comment(request: MemberRequest, deal_id: int, note_id: int, payload: CommentIn):
    deal = selectors.deal_get_to_change(user=request.user, deal_id=deal_id)
    note = selectors.note_get(deal=deal, user=request.user, note_id=note_id)
    return 201, notes.comment_create(note=note, actor=request.user, body=payload.body)


BINARY = {
    "responses": {
        200: {
            "description": "The file, with the content type it was checked to have.",
            "content": {
                content_type: {"schema": {"type": "string", "format": "binary"}}
                for content_type in uploads.CONTENT_TYPES
            },
        }
    }
}


@router.get(
    "/deals/attachments/{int:attachment_id}",
    response={200: None, **DOWNLOAD_ERRORS},
    openapi_extra=BINARY,
)
def download_attachment(request: MemberRequest, attachment_id: int):
    """The file of a shared message (or of one's own side's note), as both sides see it; 410
    when storage no longer holds it."""
    attachment = selectors.attachment_get(user=request.user, attachment_id=attachment_id)
    return stored_file_response(
        attachment.file, filename=attachment.name, content_type=attachment.content_type
    )


@router.delete("/deals/attachments/{int:attachment_id}", response={204: None, **ERRORS})
def delete_attachment(request: MemberRequest, attachment_id: int):
    attachment = selectors.attachment_get(user=request.user, attachment_id=attachment_id)
    notes.attachment_delete(attachment=attachment, actor=request.user)
    return 204, None


# --- registrations (R) ----------------------------------------------------------------------


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
    queue: bool = Field(False, description="Only those waiting for a reviewer.")


class ReasonIn(StrictSchema):
    reason: str = Field(min_length=1, max_length=2000)


class AnswerIn(StrictSchema):
    answer: str = Field(min_length=1, max_length=2000)


@router.get("/registrations", response={200: list[RegistrationOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_registrations(request: MemberRequest, filters: Query[RegistrationFilters]):
    return selectors.registrations_for_user(user=request.user, queue=filters.queue)


def registration_for(request: MemberRequest, registration_id: int) -> Registration:
    return selectors.registration_get(user=request.user, registration_id=registration_id)


def answer(request: MemberRequest, response: HttpResponse, registration_id: int):
    registration = selectors.registrations_for_user(user=request.user).filter(pk=registration_id)
    found = registration.first()
    if found is None:
        raise NotFound()
    return with_etag(response, found)


@router.get("/registrations/{int:registration_id}", response={200: RegistrationOut, **ERRORS})
def get_registration(request: MemberRequest, registration_id: int, response: HttpResponse):
    return answer(request, response, registration_id)


def decide(
    request: MemberRequest, response: HttpResponse, registration_id: int, action: str, reason: str
):
    registrations.registration_decide(
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
)
def approve_registration(request: MemberRequest, registration_id: int, response: HttpResponse):
    return decide(request, response, registration_id, "approve", "")


@router.post(
    "/registrations/{int:registration_id}/reject",
    response={200: RegistrationOut, **UPDATE_ERRORS},
)
def reject_registration(
    request: MemberRequest, registration_id: int, payload: ReasonIn, response: HttpResponse
):
    return decide(request, response, registration_id, "reject", payload.reason)


@router.post(
    "/registrations/{int:registration_id}/request-info",
    response={200: RegistrationOut, **UPDATE_ERRORS},
)
def request_registration_info(
    request: MemberRequest, registration_id: int, payload: ReasonIn, response: HttpResponse
):
    return decide(request, response, registration_id, "request_info", payload.reason)


@router.post(
    "/registrations/{int:registration_id}/resubmit",
    response={200: RegistrationOut, **UPDATE_ERRORS},
)
def resubmit_registration(
    request: MemberRequest, registration_id: int, payload: AnswerIn, response: HttpResponse
):
    registrations.registration_resubmit(
        registration=registration_for(request, registration_id),
        actor=request.user,
        answer=payload.answer,
        expected_version=expected_version(request),
    )
    return answer(request, response, registration_id)


@router.post(
    "/registrations/{int:registration_id}/extension",
    response={200: RegistrationOut, **UPDATE_ERRORS},
)
def request_extension(
    request: MemberRequest, registration_id: int, payload: ReasonIn, response: HttpResponse
):
    extensions.extension_request(
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
)
def decide_extension(
    request: MemberRequest,
    registration_id: int,
    payload: ExtensionDecisionIn,
    response: HttpResponse,
):
    extensions.extension_decide(
        registration=registration_for(request, registration_id),
        actor=request.user,
        grant=payload.grant,
        reason=payload.reason,
        expected_version=expected_version(request),
    )
    return answer(request, response, registration_id)
