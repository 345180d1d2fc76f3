"""Program settings for shared deals: exclusivity, fallback owner, pipeline, assignment rules."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from openprm.core.admin_site import ProgramAdminOnly
from openprm.deals.models import AssignmentRule, DealProgram, PipelineStage


@admin.register(DealProgram)
class DealProgramAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """One row: the program's exclusivity period and the owner of unmatched deals."""

    list_display = ("__str__", "exclusivity_days", "fallback_owner")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request) and not DealProgram.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PipelineStage)
class PipelineStageAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """C10: the shared-deal pipeline; each stage maps to open, won or lost."""

    list_display = ("name", "position", "outcome")
    list_editable = ("position", "outcome")
    ordering = ("position", "id")


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """C2: ordered rules; the first whose country and product match assigns, round robin."""

    list_display = ("name", "position", "country", "product")
    list_editable = ("position",)
    filter_horizontal = ("reps",)
    ordering = ("position", "id")
