"""/api/v1/deal-stages: the shared-deal pipeline's stages (C10), which everyone reads and the
program admin adds, changes and removes, as in Program settings; anyone else's write is a 403."""

from ninja import Field, Router, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, PatchSchema, StrictSchema
from openprm.crm.models import OpportunityState
from openprm.deals import selectors
from openprm.deals.pipeline import selectors as pipeline_selectors
from openprm.deals.pipeline import services
from openprm.deals.schemas import PipelineStageOut

router = Router(tags=["settings"])


class PipelineStageIn(StrictSchema):
    name: str = Field(max_length=80)
    outcome: OpportunityState | None = Field(None, description="open when not given.")
    position: int = Field(0, ge=0, le=2_147_483_647, description="Stages are shown in its order.")


class PipelineStagePatchIn(PatchSchema):
    name: str | None = Field(None, max_length=80)
    outcome: OpportunityState | None = None
    position: int | None = Field(None, ge=0, le=2_147_483_647)


@router.get(
    "/deal-stages",
    response={200: list[PipelineStageOut], **ERRORS},
    tags=["deals"],
    operation_id="openprm_deals_api_list_stages",
)
def list_stages(request: MemberRequest):
    return list(selectors.stages())


@router.post(
    "/deal-stages",
    response={201: PipelineStageOut, **ERRORS},
    summary="Add a stage to the shared-deal pipeline",
)
def create_stage(request: MemberRequest, payload: PipelineStageIn):
    stage = services.pipeline_stage_create(
        actor=request.user,
        name=payload.name,
        outcome=str(payload.outcome or OpportunityState.OPEN),
        position=payload.position,
    )
    return Status(201, stage)


@router.patch(
    "/deal-stages/{int:pipeline_stage_id}",
    response={200: PipelineStageOut, **ERRORS},
    summary="Rename, move or remap a stage",
)
def update_stage(request: MemberRequest, pipeline_stage_id: int, payload: PipelineStagePatchIn):
    changes = payload.model_dump(include=payload.model_fields_set)
    if "outcome" in changes:
        changes["outcome"] = str(changes["outcome"])
    stage = pipeline_selectors.pipeline_stage_get(stage_id=pipeline_stage_id)
    return services.pipeline_stage_update(actor=request.user, stage=stage, **changes)


@router.delete(
    "/deal-stages/{int:pipeline_stage_id}",
    response={204: None, **ERRORS},
    summary="Remove a stage no deal is at",
)
def delete_stage(request: MemberRequest, pipeline_stage_id: int):
    stage = pipeline_selectors.pipeline_stage_get(stage_id=pipeline_stage_id)
    services.pipeline_stage_delete(actor=request.user, stage=stage)
    return Status(204, None)
