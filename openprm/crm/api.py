"""/api/v1/partners, /customers, /contacts, /products and the imports from the vendor's systems."""

import datetime

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import (
    ERRORS,
    UPDATE_ERRORS,
    IsoDate,
    Ref,
    StrictSchema,
    expected_version,
    with_etag,
)
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.crm import imports, selectors, services
from openprm.crm.applications.api import router as applications_router
from openprm.crm.catalog.api import router as catalog_router
from openprm.crm.markets.api import router as markets_router
from openprm.crm.models import Contact, Customer, MarketType
from openprm.crm.partners.api import router as partners_router

router = Router(tags=["crm"])
router.add_router("", partners_router)
router.add_router("", applications_router)
router.add_router("", markets_router)
router.add_router("", catalog_router)


# --- customer directory ------------------------------------------------------------------------


class CustomerOut(Schema):
    """Directory data only: who works with a customer is never part of it."""

    id: int
    name: str
    domain: str
    address: str
    city: str
    postal_code: str
    country: str
    duns: str
    market_type: MarketType
    currency: str = Field(alias="currency_id")
    vendor_crm_id: str = Field(description="The customer's id in the vendor's CRM.")
    version: int

    @staticmethod
    def resolve_country(obj) -> str:
        return str(obj.country)


CrmId = Field("", max_length=100)


class CustomerFilters(Schema):
    q: str = Field("", max_length=200, description="Part of the name, any case or script.")
    country: str = Field("", max_length=2, description="ISO 3166 country code.")
    duns: str = Field("", max_length=9)
    vendor_crm_id: str = CrmId


class CustomerIn(StrictSchema):
    name: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=2, max_length=2)
    currency: str = Field(min_length=3, max_length=3)
    duns: str = Field("", max_length=9)
    domain: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    city: str = Field("", max_length=120)
    postal_code: str = Field("", max_length=20)
    vendor_crm_id: str = CrmId


class CustomerPatch(StrictSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    country: str | None = Field(None, min_length=2, max_length=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    duns: str | None = Field(None, max_length=9)
    domain: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    city: str | None = Field(None, max_length=120)
    postal_code: str | None = Field(None, max_length=20)
    vendor_crm_id: str | None = Field(None, max_length=100)


@router.get("/customers", response={200: list[CustomerOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_customers(request: MemberRequest, filters: Query[CustomerFilters]):
    return selectors.customer_search(
        user=request.user,
        q=filters.q,
        country=filters.country,
        duns=filters.duns,
        vendor_crm_id=filters.vendor_crm_id,
    )


@router.get("/customers/{int:customer_id}", response={200: CustomerOut, **ERRORS})
def get_customer(request: MemberRequest, customer_id: int, response: HttpResponse):
    return with_etag(response, selectors.customer_get(user=request.user, customer_id=customer_id))


@router.post("/customers", response={201: CustomerOut, **ERRORS})
def create_customer(request: MemberRequest, payload: CustomerIn, response: HttpResponse):
    customer = services.customer_create(actor=request.user, **payload.dict())
    return Status(201, with_etag(response, customer))


@router.patch("/customers/{int:customer_id}", response={200: CustomerOut, **UPDATE_ERRORS})
def update_customer(
    request: MemberRequest, customer_id: int, payload: CustomerPatch, response: HttpResponse
):
    customer: Customer = selectors.customer_get(user=request.user, customer_id=customer_id)
    customer = services.customer_update(
        customer=customer,
        actor=request.user,
        expected_version=expected_version(request),
        **payload.dict(exclude_unset=True),
    )
    return with_etag(response, customer)


# --- contacts ----------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    partner_id: int = Field(alias="organization_id")
    first_name: str
    last_name: str
    email: str
    phone: str
    job_title: str
    customer: Ref | None
    erased_at: datetime.datetime | None = Field(
        description="When a privacy request erased the person's data."
    )
    vendor_crm_id: str
    partner_crm_id: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ContactFilters(Schema):
    q: str = Field("", max_length=200)
    customer_id: int | None = None
    vendor_crm_id: str = CrmId
    partner_crm_id: str = CrmId


class ContactIn(StrictSchema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    job_title: str = Field("", max_length=120)
    customer: int | None = Field(None, description="Directory customer id.")
    vendor_crm_id: str = CrmId
    partner_crm_id: str = CrmId


class ContactPatch(StrictSchema):
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    job_title: str | None = Field(None, max_length=120)
    customer: int | None = None
    vendor_crm_id: str | None = Field(None, max_length=100)
    partner_crm_id: str | None = Field(None, max_length=100)


@router.get("/contacts", response={200: list[ContactOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_contacts(request: MemberRequest, filters: Query[ContactFilters]):
    return selectors.contacts_for_user(
        user=request.user,
        q=filters.q,
        customer_id=filters.customer_id,
        vendor_crm_id=filters.vendor_crm_id,
        partner_crm_id=filters.partner_crm_id,
    )


@router.get("/contacts/{int:contact_id}", response={200: ContactOut, **ERRORS})
def get_contact(request: MemberRequest, contact_id: int, response: HttpResponse):
    return with_etag(response, selectors.contact_get(user=request.user, contact_id=contact_id))


@router.post("/contacts", response={201: ContactOut, **ERRORS})
def create_contact(request: MemberRequest, payload: ContactIn, response: HttpResponse):
    contact = services.contact_create(actor=request.user, **payload.dict())
    return Status(201, with_etag(response, contact))


@router.patch("/contacts/{int:contact_id}", response={200: ContactOut, **UPDATE_ERRORS})
def update_contact(
    request: MemberRequest, contact_id: int, payload: ContactPatch, response: HttpResponse
):
    contact: Contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    contact = services.contact_update(
        contact=contact,
        actor=request.user,
        expected_version=expected_version(request),
        **payload.dict(exclude_unset=True),
    )
    return with_etag(response, contact)


@router.delete("/contacts/{int:contact_id}", response={204: None, **UPDATE_ERRORS})
def delete_contact(request: MemberRequest, contact_id: int):
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    services.contact_delete(
        contact=contact, actor=request.user, expected_version=expected_version(request)
    )
    return Status(204, None)


# --- products ----------------------------------------------------------------------------------


class ProductOut(Schema):
    id: int
    code: str
    name: str
    description: str


@router.get("/products", response={200: list[ProductOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_products(request: MemberRequest):
    return selectors.products_list()


# --- subscriptions -----------------------------------------------------------------------------


class ProductRef(Schema):
    id: int
    code: str
    name: str


class MrrChangeOut(Schema):
    effective_on: IsoDate
    mrr_minor: int


class SubscriptionOut(Schema):
    """What the billing system says; `managing_partners` lists only partners the caller sees."""

    id: int
    external_id: str
    customer: Ref
    product: ProductRef
    currency: str = Field(alias="currency_id")
    mrr_minor: int
    started_on: IsoDate
    renewal_on: IsoDate | None
    ended_on: IsoDate | None
    renewal_manager: str
    managing_partners: list[Ref]

    @staticmethod
    def resolve_managing_partners(obj) -> list:
        return list(obj.managing_partners.all())


class SubscriptionDetailOut(SubscriptionOut):
    mrr_history: list[MrrChangeOut]

    @staticmethod
    def resolve_mrr_history(obj) -> list:
        return list(obj.mrr_changes.all())


class SubscriptionFilters(Schema):
    customer_id: int | None = None


@router.get("/subscriptions", response={200: list[SubscriptionOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_subscriptions(request: MemberRequest, filters: Query[SubscriptionFilters]):
    return selectors.subscriptions_for_user(user=request.user, customer_id=filters.customer_id)


@router.get("/subscriptions/{int:subscription_id}", response={200: SubscriptionDetailOut, **ERRORS})
def get_subscription(request: MemberRequest, subscription_id: int, response: HttpResponse):
    subscription = selectors.subscription_get(user=request.user, subscription_id=subscription_id)
    # Imports rewrite subscriptions; their last change is the version a client holds.
    response["ETag"] = f'"{subscription.pk}.{int(subscription.updated_at.timestamp() * 1e6)}"'
    return subscription


# --- imports from the vendor's systems (program admin) ----------------------------------------

IMPORT_DOC = "All rows or none: any bad row is a 422 naming `<row index>.<field>`."


@router.post(
    "/customers/import", response={200: imports.ImportResult, **ERRORS}, description=IMPORT_DOC
)
def import_customers(request: MemberRequest, rows: list[imports.CustomerRow]):
    return imports.customers_import(rows=rows, actor=request.user)


@router.post(
    "/subscriptions/import",
    response={200: imports.ImportResult, **ERRORS},
    description=IMPORT_DOC,
)
def import_subscriptions(request: MemberRequest, rows: list[imports.SubscriptionRow]):
    return imports.subscriptions_import(rows=rows, actor=request.user)


@router.post(
    "/usage/import", response={200: imports.ImportResult, **ERRORS}, description=IMPORT_DOC
)
def import_usage(request: MemberRequest, rows: list[imports.UsageRow]):
    return imports.usage_import(rows=rows, actor=request.user)


@router.post(
    "/certifications/import",
    response={200: imports.ImportResult, **ERRORS},
    description=IMPORT_DOC,
)
def import_certifications(request: MemberRequest, rows: list[imports.CertificationRow]):
    return imports.certifications_import(rows=rows, actor=request.user)
