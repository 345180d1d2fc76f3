"""Program settings of the dashboard: the commission program (rate, years, payment delay), and
the statements it wrote, which the admin may read but never change."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from openprm.core.admin_site import ProgramAdminOnly
from openprm.dashboard.models import CommissionLine, CommissionProgram, CommissionStatement


@admin.register(CommissionProgram)
class CommissionProgramAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """One row; a change applies to statements written from then on, never to written ones."""

    list_display = ("__str__", "rate_percent", "years", "payment_delay_days")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request) and not CommissionProgram.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CommissionLineInline(admin.TabularInline):
    model = CommissionLine
    fields = ("customer", "opportunity", "subscription", "sale_on", "revenue_minor",
              "commission_minor")  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CommissionStatement)
class CommissionStatementAdmin(ProgramAdminOnly, admin.ModelAdmin):
    list_display = ("organization", "quarter_start", "currency", "commission_minor", "payable_on")
    list_filter = ("quarter_start", "currency")
    inlines = [CommissionLineInline]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
