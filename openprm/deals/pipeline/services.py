"""The shared-deal pipeline (C10), configured by the program admin: each stage's name, place
and outcome (open, won or lost). The same writes for Program settings and the API; each one is
recorded for the audit log with the values before and after."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.checks import FieldErrors, required_text
from openprm.core.errors import Conflict
from openprm.core.program_settings import require_program_admin as require_admin
from openprm.core.program_settings import setting_create, setting_delete, setting_update
from openprm.crm.models import OpportunityState
from openprm.deals.models import Deal, PipelineStage

FIELDS = ("name", "position", "outcome")
NAME_LENGTH = 80


def require_program_admin(actor: User) -> None:
    require_admin(actor, _("Only the program admin configures the pipeline."))


def checked_stage(stage: PipelineStage) -> None:
    """The stage's values as they would be saved: a name, unique, an outcome, a position."""
    errors = FieldErrors()
    stage.name = errors.check(required_text, "name", stage.name) or stage.name
    if len(stage.name or "") > NAME_LENGTH:
        errors.add("name", _("Use at most 80 characters."), "max_length")
    others = PipelineStage.objects.exclude(pk=stage.pk).filter(name__iexact=stage.name)
    if stage.name and others.exists():
        errors.add("name", _("A stage with this name already exists."), "unique")
    if stage.outcome not in OpportunityState.values:
        errors.add("outcome", _("Choose open, won or lost."), "invalid_choice")
    if stage.position is None or stage.position < 0:
        errors.add("position", _("Enter a position of 0 or more."), "invalid")
    errors.raise_any()


@transaction.atomic
def pipeline_stage_create(
    *, actor: User, name: str, outcome: str, position: int = 0
) -> PipelineStage:
    require_program_admin(actor)
    return setting_create(
        actor=actor,
        obj=PipelineStage(name=name, outcome=outcome, position=position),
        fields=FIELDS,
        check=checked_stage,
        kind="pipeline_stage.created",
    )


@transaction.atomic
def pipeline_stage_update(*, actor: User, stage: PipelineStage, **changes: Any) -> PipelineStage:
    """Changes some of name, position and outcome; a stage's deals keep it."""
    require_program_admin(actor)
    return setting_update(
        actor=actor,
        obj=stage,
        changes=changes,
        fields=FIELDS,
        check=checked_stage,
        kind="pipeline_stage.updated",
    )


@transaction.atomic
def pipeline_stage_delete(*, actor: User, stage: PipelineStage) -> None:
    """Removes a stage no deal is at; the deals at a stage keep it until they are moved."""
    require_program_admin(actor)
    locked = PipelineStage.objects.select_for_update().get(pk=stage.pk)
    if Deal.objects.filter(stage=locked).exists():
        raise Conflict(
            _("Deals are at this stage. Move them to another stage first."), code="stage_in_use"
        )
    setting_delete(actor=actor, obj=locked, fields=FIELDS, kind="pipeline_stage.deleted")
