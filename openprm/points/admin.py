"""Program settings for points: rule versions are published, never edited; the commission
program (rate, years, payment delay) is one row, and the statements it wrote are read, never
changed."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.http import HttpRequest
from django.utils.translation import gettext as _

from openprm.accounts.http import acting_user
from openprm.core.admin_site import ProgramAdminOnly, ServiceAdmin, ServiceCheckedForm
from openprm.core.dates import program_today
from openprm.points.commissions import services as commissions
from openprm.points.models import (
    CommissionLine,
    CommissionProgram,
    CommissionStatement,
    PointEntry,
    RuleSet,
    TierChange,
    TierEvaluation,
)
from openprm.points.rulesets import services

EDITABLE = ("effective_from", "note", *services.RULE_FIELDS)


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = EDITABLE

    def clean_tiers(self) -> Any:
        tiers = self.cleaned_data["tiers"]
        if not isinstance(tiers, list) or not all(isinstance(t, dict) for t in tiers):
            raise ValidationError(_("Enter a list of tiers, lowest first."))
        services.validate_tiers(tiers)
        return tiers

    def clean_effective_from(self) -> Any:
        day = self.cleaned_data["effective_from"]
        try:
            services.check_effective_from(day)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["effective_from"]) from None
        return day


@admin.register(RuleSet)
class RuleSetAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """Adding a version publishes it through the service, with today's currency tables."""

    form = RuleSetForm
    list_display = (
        "version",
        "effective_from",
        "sourced_rate",
        "assisted_rate",
        "managed_rate",
        "created_by",
        "created_at",
    )
    readonly_fields = ("usd100_equivalents", "market_multipliers")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        RuleSet.objects.ensure_first_version()
        latest = RuleSet.objects.order_by("-version")[0]
        initial = {name: getattr(latest, name) for name in services.RULE_FIELDS}
        first_day = max(program_today(), latest.effective_from) + timedelta(days=1)
        return {**initial, "effective_from": first_day}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        published = services.ruleset_publish(
            actor=acting_user(request),
            effective_from=form.cleaned_data["effective_from"],
            note=form.cleaned_data["note"],
            **{name: form.cleaned_data[name] for name in services.RULE_FIELDS},
        )
        obj.pk, obj.version = published.pk, published.version
        obj._state.adding = False


class ReadOnlyAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """Rows the services write; the program admin inspects them, nobody edits them."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PointEntry)
class PointEntryAdmin(ReadOnlyAdmin):
    """The ledger, to inspect: entries are posted by the services, never typed in or edited."""

    list_display = (
        "organization",
        "customer",
        "track",
        "points",
        "cause_kind",
        "cause_reference",
        "active_from",
        "expires_on",
        "rule_version",
    )
    list_filter = ("track", "cause_kind", "rule_version")
    list_select_related = ("organization", "customer", "rule_version")
    search_fields = ("organization__name", "customer__name")
    date_hierarchy = "active_from"


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdmin):
    list_display = ("organization", "changed_on", "from_tier", "to_tier", "reason", "rule_version")
    list_filter = ("reason", "to_tier")
    list_select_related = ("organization", "rule_version")
    search_fields = ("organization__name",)


@admin.register(TierEvaluation)
class TierEvaluationAdmin(ReadOnlyAdmin):
    list_display = (
        "organization",
        "evaluated_on",
        "performance_tier",
        "credited_before",
        "credited_after",
        "certified",
        "below_since",
    )
    list_filter = ("evaluated_on", "credited_after")
    list_select_related = ("organization",)
    search_fields = ("organization__name",)


class CommissionProgramForm(ServiceCheckedForm):
    def check_values(self) -> None:
        commissions.checked_commission_program(construct_instance(self, self.instance))


@admin.register(CommissionProgram)
class CommissionProgramAdmin(ServiceAdmin):
    """One row; a change applies to statements written from then on, never to written ones.
    Saved through the same service as /api/v1/settings/commission-program."""

    form = CommissionProgramForm
    service_fields = commissions.PROGRAM_FIELDS
    list_display = ("__str__", "rate_percent", "years", "payment_delay_days")

    def service_create(self, actor: Any, values: dict[str, Any]) -> CommissionProgram:
        return commissions.commission_program_update(actor=actor, **values)

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        commissions.commission_program_update(actor=actor, **values)

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
class CommissionStatementAdmin(ReadOnlyAdmin):
    list_display = ("organization", "quarter_start", "currency", "commission_minor", "payable_on")
    list_filter = ("quarter_start", "currency")
    inlines = [CommissionLineInline]
