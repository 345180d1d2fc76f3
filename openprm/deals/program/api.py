"""/api/v1/settings/deal-program: the shared-deal program's exclusivity period and fallback
owner (C1, C2), as Program settings edits them; the program admin only, anyone else gets a 403."""

from ninja import Field, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, PatchSchema
from openprm.deals.program import selectors, services

router = Router(tags=["settings"])


class DealProgramOut(Schema):
    exclusivity_days: int = Field(description="An unconverted registration expires after this.")
    fallback_owner_id: int | None = Field(description="Gets the deals no rule matches.")


class DealProgramPatchIn(PatchSchema):
    clearable = frozenset({"fallback_owner_id"})

    exclusivity_days: int | None = Field(None, ge=1, le=services.EXCLUSIVITY_DAYS_LIMIT)
    fallback_owner_id: int | None = Field(None, description="A vendor user; null for nobody.")


@router.get(
    "/settings/deal-program",
    response={200: DealProgramOut, **ERRORS},
    summary="The exclusivity period and the fallback owner of shared deals",
)
def get_deal_program(request: MemberRequest):
    return selectors.deal_program_get(user=request.user)


@router.patch(
    "/settings/deal-program",
    response={200: DealProgramOut, **ERRORS},
    summary="Change the exclusivity period or the fallback owner",
)
def update_deal_program(request: MemberRequest, payload: DealProgramPatchIn):
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.deal_program_update(actor=request.user, **changes)
