"""/api/v1/settings/referral-program: how long a partner has to answer a received referral and
when a win counts as fast (D4, D10), as Program settings edits them; the program admin only,
anyone else gets a 403."""

from ninja import Field, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, PatchSchema
from openprm.referrals.program import selectors, services

router = Router(tags=["settings"])


class ReferralProgramOut(Schema):
    response_days: int = Field(description="A received referral not answered in this expires.")
    fast_win_hours: int = Field(description="A deal won sooner is flagged to the reviewer.")


class ReferralProgramPatchIn(PatchSchema):
    response_days: int | None = Field(None, ge=1, le=services.RESPONSE_DAYS_LIMIT)
    fast_win_hours: int | None = Field(None, ge=0, le=services.FAST_WIN_HOURS_LIMIT)


@router.get(
    "/settings/referral-program",
    response={200: ReferralProgramOut, **ERRORS},
    summary="The days to answer a received referral and the fast-win hours",
)
def get_referral_program(request: MemberRequest):
    return selectors.referral_program_get(user=request.user)


@router.patch(
    "/settings/referral-program",
    response={200: ReferralProgramOut, **ERRORS},
    summary="Change the days to answer a received referral or the fast-win hours",
)
def update_referral_program(request: MemberRequest, payload: ReferralProgramPatchIn):
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.referral_program_update(actor=request.user, **changes)
