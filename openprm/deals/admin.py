"""Program settings for shared deals: exclusivity, fallback owner, pipeline, assignment rules."""

from typing import Any

from django.contrib import admin
from django.forms.models import construct_instance
from django.http import HttpRequest

from openprm.accounts.http import acting_user
from openprm.core.admin_site import ServiceAdmin, ServiceCheckedForm
from openprm.deals.assignment import services as assignment
from openprm.deals.models import AssignmentRule, DealProgram, PipelineStage
from openprm.deals.pipeline import services as pipeline
from openprm.deals.program import services as program


class DealProgramForm(ServiceCheckedForm):
    service_names = {"fallback_owner_id": "fallback_owner"}

    def check_values(self) -> None:
        program.checked_deal_program(construct_instance(self, self.instance))


@admin.register(DealProgram)
class DealProgramAdmin(ServiceAdmin):
    """One row: the program's exclusivity period and the owner of unmatched deals, saved
    through the same service as /api/v1/settings/deal-program."""

    form = DealProgramForm
    list_display = ("__str__", "exclusivity_days", "fallback_owner")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request) and not DealProgram.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = form.cleaned_data
        owner = values["fallback_owner"]
        saved = program.deal_program_update(
            actor=acting_user(request),
            exclusivity_days=values["exclusivity_days"],
            fallback_owner_id=owner.pk if owner else None,
        )
        obj.pk = saved.pk


class PipelineStageForm(ServiceCheckedForm):
    def check_values(self) -> None:
        pipeline.checked_stage(construct_instance(self, self.instance))


@admin.register(PipelineStage)
class PipelineStageAdmin(ServiceAdmin):
    """C10: the shared-deal pipeline; each stage maps to open, won or lost."""

    form = PipelineStageForm
    service_fields = pipeline.FIELDS
    list_display = ("name", "position", "outcome")
    list_editable = ("position", "outcome")
    ordering = ("position", "id")

    def service_create(self, actor: Any, values: dict[str, Any]) -> PipelineStage:
        return pipeline.pipeline_stage_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        pipeline.pipeline_stage_update(actor=actor, stage=obj, **values)

    def service_delete(self, actor: Any, obj: Any) -> None:
        pipeline.pipeline_stage_delete(actor=actor, stage=obj)


def rule_values(cleaned: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the assignment rule services take them: related rows by id."""
    values: dict[str, Any] = {
        name: cleaned[name] for name in ("name", "position", "country") if name in cleaned
    }
    if "product" in cleaned:
        values["product_id"] = cleaned["product"].pk if cleaned["product"] else None
    if "reps" in cleaned:
        values["rep_ids"] = [rep.pk for rep in cleaned["reps"]]
    return values


class AssignmentRuleForm(ServiceCheckedForm):
    service_names = {"product_id": "product", "rep_ids": "reps"}

    def check_values(self) -> None:
        rule = self.instance
        before = assignment.values_of(rule)
        assignment.checked_values(rule, {**before, **rule_values(self.cleaned_data)})


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(ServiceAdmin):
    """C2: ordered rules; the first whose country and product match assigns, round robin."""

    form = AssignmentRuleForm
    list_display = ("name", "position", "country", "product")
    list_editable = ("position",)
    filter_horizontal = ("reps",)
    ordering = ("position", "id")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = rule_values(form.cleaned_data)
        if change:
            assignment.assignment_rule_update(actor=acting_user(request), rule=obj, **values)
        else:
            obj.pk = assignment.assignment_rule_create(actor=acting_user(request), **values).pk

    def service_delete(self, actor: Any, obj: Any) -> None:
        assignment.assignment_rule_delete(actor=actor, rule=obj)
