"""/api/v1/settings/assessment-vettings: the partners the vendor vetted for solution
assessments (D1), as Program settings adds, changes and removes them; the program admin only,
anyone else gets a 403."""

from ninja import Field, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, IsoDate, PatchSchema, StrictSchema
from openprm.referrals.vetting import selectors, services

router = Router(tags=["settings"])


class VettingIn(StrictSchema):
    partner_id: int = Field(description="The partner organization vetted.")
    vetted_on: IsoDate
    note: str = Field("", max_length=200)


class VettingPatchIn(PatchSchema):
    vetted_on: IsoDate | None = None
    note: str | None = Field(None, max_length=200)


class VettingOut(Schema):
    id: int
    partner_id: int = Field(alias="organization_id")
    partner_name: str = Field(alias="organization.name")
    vetted_on: IsoDate
    note: str


@router.get(
    "/settings/assessment-vettings",
    response={200: list[VettingOut], **ERRORS},
    summary="The partners vetted for solution assessments",
)
def list_vettings(request: MemberRequest):
    return list(selectors.vettings_all(user=request.user))


@router.post(
    "/settings/assessment-vettings",
    response={201: VettingOut, **ERRORS},
    summary="Vet a partner for solution assessments",
)
def create_vetting(request: MemberRequest, payload: VettingIn):
    vetting = services.vetting_create(
        actor=request.user,
        organization_id=payload.partner_id,
        vetted_on=payload.vetted_on,
        note=payload.note,
    )
    return Status(201, vetting)


@router.patch(
    "/settings/assessment-vettings/{int:vetting_id}",
    response={200: VettingOut, **ERRORS},
    summary="Change the day or the note of a vetting",
)
def update_vetting(request: MemberRequest, vetting_id: int, payload: VettingPatchIn):
    vetting = selectors.vetting_get(user=request.user, vetting_id=vetting_id)
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.vetting_update(actor=request.user, vetting=vetting, **changes)


@router.delete(
    "/settings/assessment-vettings/{int:vetting_id}",
    response={204: None, **ERRORS},
    summary="Withdraw a vetting: the partner creates no new solution assessments",
)
def delete_vetting(request: MemberRequest, vetting_id: int):
    vetting = selectors.vetting_get(user=request.user, vetting_id=vetting_id)
    services.vetting_delete(actor=request.user, vetting=vetting)
    return Status(204, None)
