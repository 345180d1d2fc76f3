"""Program settings for referrals: response time, solution types, vetted partners, stages."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from openprm.core.admin_site import ProgramAdminOnly
from openprm.referrals.models import AssessmentVetting, ReferralProgram, SalesStage, SolutionType


@admin.register(ReferralProgram)
class ReferralProgramAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """One row: how long a partner has to answer a received referral (D4, default 14 days)."""

    list_display = ("__str__", "response_days", "fast_win_hours")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request) and not ReferralProgram.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SolutionType)
class SolutionTypeAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """D2 step 5 and D10: the assessment types and which of them can be registered."""

    list_display = ("name", "code", "registration_eligible", "is_active")
    list_editable = ("registration_eligible", "is_active")
    prepopulated_fields = {"code": ("name",)}


@admin.register(AssessmentVetting)
class AssessmentVettingAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """D1: the partners the vendor vetted for solution assessments."""

    list_display = ("organization", "vetted_on", "note")
    list_select_related = ("organization",)


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
