"""Program settings for referrals: response time, solution types, vetted partners, stages."""

from typing import Any

from django.contrib import admin
from django.forms.models import construct_instance
from django.http import HttpRequest

from openprm.accounts.http import acting_user
from openprm.core.admin_site import ProgramAdminOnly, ServiceAdmin, ServiceCheckedForm
from openprm.referrals.models import AssessmentVetting, ReferralProgram, SalesStage, SolutionType
from openprm.referrals.program import services as program
from openprm.referrals.solution_types import services as solution_types
from openprm.referrals.vetting import services as vetting


class ReferralProgramForm(ServiceCheckedForm):
    def check_values(self) -> None:
        program.checked_referral_program(construct_instance(self, self.instance))


@admin.register(ReferralProgram)
class ReferralProgramAdmin(ServiceAdmin):
    """One row: how long a partner has to answer a received referral (D4, default 14 days),
    saved through the same service as /api/v1/settings/referral-program."""

    form = ReferralProgramForm
    service_fields = program.FIELDS
    list_display = ("__str__", "response_days", "fast_win_hours")

    def service_create(self, actor: Any, values: dict[str, Any]) -> ReferralProgram:
        return program.referral_program_update(actor=actor, **values)

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        program.referral_program_update(actor=actor, **values)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request) and not ReferralProgram.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SolutionTypeForm(ServiceCheckedForm):
    def check_values(self) -> None:
        solution_types.checked_solution_type(construct_instance(self, self.instance))


@admin.register(SolutionType)
class SolutionTypeAdmin(ServiceAdmin):
    """D2 step 5 and D10: the assessment types and which of them can be registered; a type is
    deactivated, never removed, since referrals keep the types they chose."""

    form = SolutionTypeForm
    service_fields = solution_types.FIELDS
    list_display = ("name", "code", "registration_eligible", "is_active")
    list_editable = ("registration_eligible", "is_active")
    prepopulated_fields = {"code": ("name",)}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def service_create(self, actor: Any, values: dict[str, Any]) -> SolutionType:
        return solution_types.solution_type_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        solution_types.solution_type_update(actor=actor, solution_type=obj, **values)


class AssessmentVettingForm(ServiceCheckedForm):
    service_names = {"partner_id": "organization"}

    def check_values(self) -> None:
        vetting.checked_vetting(construct_instance(self, self.instance))


@admin.register(AssessmentVetting)
class AssessmentVettingAdmin(ServiceAdmin):
    """D1: the partners the vendor vetted for solution assessments, saved through the same
    services as /api/v1/settings/assessment-vettings."""

    form = AssessmentVettingForm
    list_display = ("organization", "vetted_on", "note")
    list_select_related = ("organization",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = {"vetted_on": form.cleaned_data["vetted_on"], "note": form.cleaned_data["note"]}
        values["organization_id"] = form.cleaned_data["organization"].pk
        if change:
            vetting.vetting_update(actor=acting_user(request), vetting=obj, **values)
        else:
            obj.pk = vetting.vetting_create(actor=acting_user(request), **values).pk

    def service_delete(self, actor: Any, obj: Any) -> None:
        vetting.vetting_delete(actor=actor, vetting=obj)


@admin.register(SalesStage)
class SalesStageAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """D6: the standard stages and their fixed percentages; names and percentages are fixed
    by the program, so they are shown, not edited."""

    list_display = ("name", "percentage", "position")
    ordering = ("position",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
