"""The shared-deal pipeline's stage a settings address names (C10)."""

from openprm.core.errors import NotFound
from openprm.deals.models import PipelineStage


def pipeline_stage_get(*, stage_id: int) -> PipelineStage:
    """The stage to change; an unknown one is a 404 (on a deal, `deals.selectors.stage_get`
    makes it the body's error instead)."""
    stage = PipelineStage.objects.filter(pk=stage_id).first()
    if stage is None:
        raise NotFound()
    return stage
