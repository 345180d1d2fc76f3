"""/api/v1/partners: the partner organizations, and the program admin's writes to them."""

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import (
    ERRORS,
    UPDATE_ERRORS,
    IsoDate,
    StrictSchema,
    expected_version,
    with_etag,
)
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.crm import selectors
from openprm.crm.partners import selectors as partner_selectors
from openprm.crm.partners import services
from openprm.crm.partners.services import LocationInput, PartnerInput
from openprm.crm.selectors import NO_TIER, PartnerFilters

router = Router(tags=["crm"])

CountryCode = Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2")


class PersonOut(Schema):
    id: int
    full_name: str
    email: str


class LocationOut(Schema):
    id: int
    name: str
    country: str
    city: str
    code: str = Field(description="The vendor's location id, unique in the program.")

    @staticmethod
    def resolve_country(obj) -> str:
        return str(obj.country)


class CertificationOut(Schema):
    external_id: str
    name: str
    holder: str
    certified_on: IsoDate
    valid_until: IsoDate


class PartnerOut(Schema):
    id: int
    name: str
    slug: str
    country: str
    market_country: str = Field(description="The market the partner mainly sells in")
    currency: str
    website: str
    tier: str
    is_active: bool
    pdm: PersonOut | None
    locations: list[LocationOut]

    @staticmethod
    def resolve_country(obj) -> str:
        return str(obj.country or "")

    @staticmethod
    def resolve_market_country(obj) -> str:
        return str(obj.market or "")

    @staticmethod
    def resolve_locations(obj) -> list:
        return list(obj.locations.all())


class PartnerDetailOut(PartnerOut):
    certifications: list[CertificationOut]

    @staticmethod
    def resolve_certifications(obj) -> list:
        return list(obj.certifications.all())


class LocationIn(StrictSchema):
    name: str = Field(min_length=1, max_length=120)
    country: str = CountryCode
    city: str = Field(default="", max_length=120)
    code: str = Field(default="", max_length=40, description="The vendor's location id.")


class PartnerIn(StrictSchema):
    name: str = Field(min_length=1, max_length=200)
    country: str = CountryCode
    market_country: str = Field(
        default="", pattern=r"^([A-Za-z]{2})?$", description="One of the program's markets"
    )
    currency: str = Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217")
    pdm_id: int | None = Field(default=None, description="A partner development manager's id")
    website: str = Field(default="", max_length=200)


class PartnerCreateIn(PartnerIn):
    tier: str = Field(default="", max_length=50, description="The credited tier at start")
    locations: list[LocationIn] = Field(default_factory=list, max_length=100)


class PartnerListFilters(Schema):
    q: str = Field("", max_length=200, description="A part of the name, in any case")
    tier: str = Field(
        "", max_length=50, description=f"A credited tier's name, or {NO_TIER} for none"
    )
    market_country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 alpha-2")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 alpha-2")


def partner_input(payload: PartnerIn) -> PartnerInput:
    return PartnerInput(
        name=payload.name,
        country=payload.country,
        market=payload.market_country,
        currency=payload.currency,
        pdm_id=payload.pdm_id,
        website=payload.website,
    )


@router.get(
    "/partners",
    response={200: list[PartnerOut], **ERRORS},
    operation_id="openprm_crm_api_list_partners",
)
@paginate(LimitOffsetPagination)
def list_partners(request: MemberRequest, filters: Query[PartnerListFilters]):
    """The partners the caller covers, by name; the channel dashboard's filters."""
    return selectors.partners_filtered(
        user=request.user,
        filters=PartnerFilters(
            q=filters.q,
            tier=filters.tier,
            market=filters.market_country,
            country=filters.country,
        ),
    )


@router.post("/partners", response={201: PartnerDetailOut, **ERRORS})
def create_partner(request: MemberRequest, response: HttpResponse, payload: PartnerCreateIn):
    """The program admin's new partner organization, with its locations."""
    partner = services.partner_create(
        actor=request.user,
        data=partner_input(payload),
        locations=[LocationInput(**item.model_dump()) for item in payload.locations],
        tier=payload.tier,
    )
    return Status(201, with_etag(response, partner))


@router.get(
    "/partners/{int:partner_id}",
    response={200: PartnerDetailOut, **ERRORS},
    operation_id="openprm_crm_api_get_partner",
)
def get_partner(request: MemberRequest, partner_id: int, response: HttpResponse):
    return with_etag(response, selectors.partner_get(user=request.user, partner_id=partner_id))


@router.put("/partners/{int:partner_id}", response={200: PartnerDetailOut, **UPDATE_ERRORS})
def update_partner(
    request: MemberRequest, response: HttpResponse, partner_id: int, payload: PartnerIn
):
    partner = services.partner_update(
        actor=request.user,
        partner_id=partner_id,
        data=partner_input(payload),
        expected_version=expected_version(request),
    )
    return with_etag(response, partner)


@router.post("/partners/{int:partner_id}/deactivate", response={200: PartnerDetailOut, **ERRORS})
def deactivate_partner(request: MemberRequest, response: HttpResponse, partner_id: int):
    """Its users can no longer sign in and their tokens stop; every record stays."""
    partner = services.partner_set_active(actor=request.user, partner_id=partner_id, active=False)
    return with_etag(response, partner)


@router.post("/partners/{int:partner_id}/reactivate", response={200: PartnerDetailOut, **ERRORS})
def reactivate_partner(request: MemberRequest, response: HttpResponse, partner_id: int):
    partner = services.partner_set_active(actor=request.user, partner_id=partner_id, active=True)
    return with_etag(response, partner)


@router.get("/partners/{int:partner_id}/locations", response={200: list[LocationOut], **ERRORS})
def list_partner_locations(request: MemberRequest, partner_id: int):
    return partner_selectors.partner_locations(user=request.user, partner_id=partner_id)


@router.post("/partners/{int:partner_id}/locations", response={201: LocationOut, **ERRORS})
def add_partner_location(request: MemberRequest, partner_id: int, payload: LocationIn):
    location = services.location_add(
        actor=request.user, partner_id=partner_id, item=LocationInput(**payload.model_dump())
    )
    return Status(201, location)
