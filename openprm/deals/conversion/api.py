"""/api/v1/deals/convert: the vendor converts one of its own open opportunities into a shared
deal (C4). The operation keeps the operationId it was published under when deals/api.py held
it.
"""

from django.http import HttpResponse
from ninja import Field, Router

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, IsoDate, StrictSchema, with_etag
from openprm.deals import selectors as deal_selectors
from openprm.deals.conversion import selectors, services
from openprm.deals.schemas import DealOut

router = Router()


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


@router.post(
    "/deals/convert",
    response={201: DealOut, **ERRORS},
    operation_id="openprm_deals_api_convert_deal",
)
def convert_deal(request: MemberRequest, payload: ConvertIn, response: HttpResponse):
    """C4: "Convert to shared deal" > partner > partner contact > welcome note > "Add partner"."""
    user = request.user
    opportunity = selectors.vendor_opportunity_get(user=user, opportunity_id=payload.opportunity_id)
    partner, owner = selectors.conversion_parties(
        partner_id=payload.partner_id, owner_id=payload.owner_id
    )
    deal = services.deal_convert(
        opportunity=opportunity,
        actor=user,
        partner=partner,
        owner=owner,
        welcome_note=payload.welcome_note,
        close_date=payload.close_date,
        confirmed=payload.confirmed,
    )
    return 201, with_etag(response, deal_selectors.deal_get(user=user, deal_id=deal.pk))
