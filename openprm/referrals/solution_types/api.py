"""/api/v1/settings/solution-types: the solution assessment types (D2 step 5, D10) as Program
settings edits them, inactive ones included; the program admin only, anyone else gets a 403.
Partners read the ones they may choose at /api/v1/referrals/solution-types."""

from ninja import Field, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, PatchSchema, StrictSchema
from openprm.referrals.solution_types import selectors, services

router = Router(tags=["settings"])


class SolutionTypeIn(StrictSchema):
    name: str = Field(max_length=120)
    code: str = Field("", max_length=60, description="A slug; from the name when empty.")
    registration_eligible: bool = False
    is_active: bool = True


class SolutionTypePatchIn(PatchSchema):
    name: str | None = Field(None, max_length=120)
    code: str | None = Field(None, max_length=60)
    registration_eligible: bool | None = None
    is_active: bool | None = Field(None, description="false deactivates it.")


class SolutionTypeSettingOut(Schema):
    id: int
    name: str
    code: str
    registration_eligible: bool
    is_active: bool


@router.get(
    "/settings/solution-types",
    response={200: list[SolutionTypeSettingOut], **ERRORS},
    summary="Every solution type, inactive ones included",
)
def list_solution_type_settings(request: MemberRequest):
    return list(selectors.solution_types_all(user=request.user))


@router.post(
    "/settings/solution-types",
    response={201: SolutionTypeSettingOut, **ERRORS},
    summary="Add a solution type",
)
def create_solution_type(request: MemberRequest, payload: SolutionTypeIn):
    created = services.solution_type_create(actor=request.user, **payload.model_dump())
    return Status(201, created)


@router.patch(
    "/settings/solution-types/{int:solution_type_id}",
    response={200: SolutionTypeSettingOut, **ERRORS},
    summary="Rename, re-code, deactivate or reactivate a solution type",
)
def update_solution_type(
    request: MemberRequest, solution_type_id: int, payload: SolutionTypePatchIn
):
    found = selectors.solution_type_get(user=request.user, solution_type_id=solution_type_id)
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.solution_type_update(actor=request.user, solution_type=found, **changes)
