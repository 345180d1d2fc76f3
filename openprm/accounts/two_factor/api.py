"""/api/v1/settings/two-factor-requirement: whether an organization's users must sign in with a
second factor, as Settings > Two-factor sign-in sets it. A partner admin sets it for its
organization, the program admin for the vendor and, with `partners_required`, for every partner;
anyone else gets a 404, as the page answers."""

from ninja import Field, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.accounts.two_factor import selectors, services
from openprm.core.api import ERRORS, StrictSchema

router = Router(tags=["settings"])


class TwoFactorRequirementIn(StrictSchema):
    required: bool = Field(description="Your organization's users must use two-factor sign-in.")
    partners_required: bool = Field(
        False, description="The program admin only: every partner's users must use it too."
    )


class TwoFactorRequirementOut(Schema):
    required: bool
    partners_required: bool


@router.get(
    "/settings/two-factor-requirement",
    response={200: TwoFactorRequirementOut, **ERRORS},
    summary="Whether your organization requires two-factor sign-in",
)
def get_two_factor_requirement(request: MemberRequest):
    return selectors.requirement_get(user=request.user)


@router.put(
    "/settings/two-factor-requirement",
    response={200: TwoFactorRequirementOut, **ERRORS},
    summary="Require two-factor sign-in, or stop requiring it",
)
def set_two_factor_requirement(request: MemberRequest, payload: TwoFactorRequirementIn):
    return services.requirement_set(
        user=request.user, required=payload.required, partners_required=payload.partners_required
    )
