"""/api/v1/commissions/statements: closed quarters' commission statements as the dashboard shows
them, one with its lines, and its CSV; seen by the partner's people, its PDM and the program
admin (another partner's statement is a 404). /api/v1/settings/commission-program: the rate,
years and payment delay, as Program settings edits them, for the program admin only.

The operations keep the tag and operation ids they had under the dashboard's API, where clients
generated from the OpenAPI document found them.
"""

from decimal import Decimal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, IsoDate, PatchSchema
from openprm.core.dates import program_today
from openprm.core.money import from_minor
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.points.commissions import selectors, services
from openprm.points.commissions.statements import statement_csv_response
from openprm.points.models import CommissionLine, CommissionStatement

router = Router(tags=["dashboard"])


class StatementItemOut(Schema):
    id: int
    partner_id: int = Field(alias="organization_id")
    partner_name: str = Field(alias="organization.name")
    quarter_start: IsoDate
    quarter_end: IsoDate
    currency: str = Field(alias="currency_id")
    rate_percent: Decimal
    revenue: Decimal
    revenue_minor: int
    commission: Decimal
    commission_minor: int
    payable_on: IsoDate
    download_url: str

    @staticmethod
    def resolve_download_url(obj: CommissionStatement) -> str:
        return f"/api/v1/commissions/statements/{obj.pk}/csv"


class StatementLineOut(Schema):
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    deal_id: int = Field(alias="opportunity_id")
    deal: str = Field(alias="opportunity.name")
    sale_on: IsoDate
    subscription_id: int
    subscription: str = Field(alias="subscription.external_id")
    product: str = Field(alias="subscription.product.name")
    revenue: Decimal
    revenue_minor: int
    commission: Decimal
    commission_minor: int

    @staticmethod
    def resolve_revenue(obj: CommissionLine) -> Decimal:
        return from_minor(obj.revenue_minor, obj.statement.currency_id)

    @staticmethod
    def resolve_commission(obj: CommissionLine) -> Decimal:
        return from_minor(obj.commission_minor, obj.statement.currency_id)


class StatementOutWithLines(StatementItemOut):
    lines: list[StatementLineOut]

    @staticmethod
    def resolve_lines(obj: CommissionStatement) -> list[CommissionLine]:
        return list(selectors.statement_lines(statement=obj))


class StatementQuery(Schema):
    partner_id: int | None = Field(None, ge=1, description="For vendor staff: whose statements.")
    currency: str | None = Field(None, pattern="^[A-Z]{3}$", description="ISO 4217 code.")
    paid: bool | None = Field(
        None, description="Payable today or earlier (true) or later (false), as on the dashboard."
    )


@router.get(
    "/commissions/statements",
    response={200: list[StatementItemOut], **ERRORS},
    operation_id="openprm_dashboard_api_list_statements",
)
@paginate(LimitOffsetPagination)
def list_statements(request: MemberRequest, query: Query[StatementQuery]):
    """Closed quarters' commission statements the requester sees, newest quarter first."""
    return selectors.statements_for_user(
        user=request.user,
        on=program_today(),
        partner_id=query.partner_id,
        currency=query.currency,
        paid=query.paid,
    )


@router.get(
    "/commissions/statements/{int:statement_id}",
    response={200: StatementOutWithLines, **ERRORS},
    operation_id="openprm_dashboard_api_get_statement",
)
def get_statement(request: MemberRequest, response: HttpResponse, statement_id: int):
    statement = selectors.statement_get(user=request.user, statement_id=statement_id)
    response["ETag"] = f'"{statement.pk}.1"'  # a statement never changes
    return statement


@router.get(
    "/commissions/statements/{int:statement_id}/csv",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "The statement as CSV."}}},
    operation_id="openprm_dashboard_api_download_statement",
)
def download_statement(request: MemberRequest, statement_id: int):
    """The same file as the dashboard's download."""
    statement = selectors.statement_get(user=request.user, statement_id=statement_id)
    return statement_csv_response(statement)


class CommissionProgramOut(Schema):
    rate_percent: Decimal = Field(description="The share of the revenue paid, in %.")
    years: int = Field(description="Years paid from the sale.")
    payment_delay_days: int = Field(description="Days from the quarter's end to the payment.")


class CommissionProgramPatchIn(PatchSchema):
    rate_percent: Decimal | None = Field(
        None, ge=0, le=services.RATE_LIMIT, max_digits=5, decimal_places=2
    )
    years: int | None = Field(None, ge=1, le=services.YEARS_LIMIT)
    payment_delay_days: int | None = Field(None, ge=0, le=services.PAYMENT_DELAY_DAYS_LIMIT)


@router.get(
    "/settings/commission-program",
    response={200: CommissionProgramOut, **ERRORS},
    tags=["settings"],
    summary="The commission rate, the years paid and the payment delay",
)
def get_commission_program(request: MemberRequest):
    return selectors.commission_program_get(user=request.user)


@router.patch(
    "/settings/commission-program",
    response={200: CommissionProgramOut, **ERRORS},
    tags=["settings"],
    summary="Change the commission rate, the years paid or the payment delay",
)
def update_commission_program(request: MemberRequest, payload: CommissionProgramPatchIn):
    """Applies to the statements written from then on, never to written ones."""
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.commission_program_update(actor=request.user, **changes)
