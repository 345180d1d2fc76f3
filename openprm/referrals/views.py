"""Co-sell referral pages: the lists with their tabs and export, "Send referral", one
referral, the CRM stage settings and the campaign report. The actions on a referral are in
action_views.py, the "New deal" wizard in wizard.py. Views parse with forms and call the
referrals selectors and services; another organization's referral is a 404.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openprm.accounts.models import Location
from openprm.accounts.roles import Role
from openprm.core.errors import AppError, NotFound, PreconditionFailed
from openprm.core.money import to_minor
from openprm.crm import selectors as crm_selectors
from openprm.referrals import export as exporting
from openprm.referrals import selectors
from openprm.referrals.checks import Contact
from openprm.referrals.crm_stages import services as crm_stage_services
from openprm.referrals.crm_stages.mapping import standard_stage_for
from openprm.referrals.crm_stages.selectors import crm_stage_get, crm_stages_for_user
from openprm.referrals.forms import (
    CloseWonForm,
    CrmStageForm,
    ReferralFilterForm,
    SendReferralForm,
    StageMarkForm,
)
from openprm.referrals.models import AUTOMATIC_STAGES, WON, Referral, Substatus
from openprm.referrals.selectors import ReferralFilters
from openprm.referrals.sending.services import referral_send
from openprm.referrals.stages.selectors import sales_stages
from openprm.referrals.wizard import suggestions_context

PAGE_SIZE = 25
SENDER_ROLES = (Role.SALES_REP, Role.PROGRAM_ADMIN)
# What the services call a field, where the form calls it by its label's meaning.
FIELD_ALIASES = {
    "amount": "value",
    "amount_minor": "value",
    "lost_reason": "reason",
    "won_value": "won_value",
}


def user_of(request: HttpRequest) -> Any:
    return request.user


def add_errors(form: Any, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Service errors land on the field they name, or above the form."""
    aliases = {**FIELD_ALIASES, **(aliases or {})}
    for field, errors in exc.message_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def run_action(
    request: HttpRequest,
    form: Any,
    perform: Callable[[dict[str, Any]], Any],
    aliases: dict[str, str] | None = None,
) -> bool:
    """Runs the service with the form's data; its errors land on the form. True when done."""
    try:
        perform(form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc, aliases)
    except PreconditionFailed:
        form.add_error(None, _("Someone changed this referral since you opened it; reload."))
    except AppError as exc:
        form.add_error(None, exc.message)
    else:
        return True
    return False


def can_send(user: Any) -> bool:
    return bool(user.is_partner or user.role in SENDER_ROLES)


# --- lists (D1) ----------------------------------------------------------------------------


def location_choices(user: Any) -> list[tuple[str, str]]:
    locations = Location.objects.select_related("organization").order_by(
        "organization__name", "name"
    )
    if user.is_partner:
        return [(str(loc.pk), str(loc)) for loc in locations.filter(organization=user.organization)]
    partners = crm_selectors.partners_for_user(user=user)
    return [
        (str(loc.pk), f"{loc.organization.name} · {loc}")
        for loc in locations.filter(organization__in=partners)
    ]


def filters_from(request: HttpRequest, user: Any, tab: str) -> tuple[ReferralFilterForm, Any]:
    form = ReferralFilterForm(
        request.GET,
        locations=location_choices(user),
        stages=[(s.code, s.label) for s in sales_stages()],
    )
    data = form.filters()
    location = data.get("location")
    filters = ReferralFilters(
        tab=tab,
        deal_type=data.get("deal_type", ""),
        substatus=data.get("status", ""),
        stage=data.get("stage", ""),
        location_id=int(location) if location else None,
        close_from=data.get("close_from"),
        close_to=data.get("close_to"),
        campaign_id=data.get("campaign_id", ""),
        ordering=data.get("ordering") or "-created",
    )
    return form, filters


def tab_of(request: HttpRequest) -> str:
    tab = request.GET.get("tab", "")
    return tab if tab in selectors.TABS else "inbound"


TAB_LABELS = (("inbound", _("Inbound")), ("outbound", _("Outbound")), ("closed", _("Closed")))


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """Partner > Co-sell referrals: the Inbound, Outbound and Closed tabs."""
    user = user_of(request)
    if not user.is_partner:
        return redirect("referrals:vendor-list")
    tab = tab_of(request)
    form, filters = filters_from(request, user, tab)
    tabs = [
        {"value": value, "label": _(label), "active": value == tab} for value, label in TAB_LABELS
    ]
    return render_list(request, user, form, filters, {"tabs": tabs, "current_tab": tab})


@login_required
def vendor_list(request: HttpRequest) -> HttpResponse:
    """Vendor > Referrals: what the vendor user sees by role (a rep: the ones they sent)."""
    user = user_of(request)
    if not user.is_vendor_staff:
        raise NotFound()
    form, filters = filters_from(request, user, "")
    return render_list(request, user, form, filters, {"tabs": []})


def render_list(
    request: HttpRequest, user: Any, form: ReferralFilterForm, filters: Any, extra: dict
) -> HttpResponse:
    referrals = selectors.referrals_for_user(user=user, filters=filters)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": form,
        "query": query.urlencode(),
        "can_send": can_send(user),
        "can_create": user.is_partner,
        **extra,
    }
    return render(request, "referrals/referral_list.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered list (the partner's current tab) as CSV or XLSX."""
    user = user_of(request)
    if user.organization is None:
        raise NotFound()
    file_format = request.GET.get("format", "csv")
    if file_format not in exporting.FORMATS:
        raise NotFound()
    tab = tab_of(request) if user.is_partner else ""
    _form, filters = filters_from(request, user, tab)
    content, content_type, filename = exporting.referrals_export(
        user=user, filters=filters, file_format=file_format
    )
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- send (D1) -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    """ "Send referral": a vendor sales rep or a partner sends one to a partner's location."""
    user = user_of(request)
    if not can_send(user):
        raise NotFound()
    locations = (
        Location.objects.filter(organization__kind="partner", organization__is_active=True)
        .exclude(organization=user.organization)
        .select_related("organization")
        .order_by("organization__name", "name")
    )
    customers = crm_selectors.customer_search(user=user)
    searching = "search" in request.POST
    form = SendReferralForm(
        None if searching else request.POST or None,
        initial=request.POST.dict() if searching else None,
        locations=locations,
        customers=customers,
    )
    if request.method == "POST" and not searching and form.is_valid():
        data = form.cleaned_data
        location = data["receiving_location"]
        currency = data["currency"]
        try:
            referral = referral_send(
                actor=user,
                partner=location.organization,
                location=location,
                customer=data["customer"],
                name=data["name"],
                amount_minor=to_minor(data["value"], currency.code, field="value"),
                currency=currency,
                notes=data["notes"],
                contact=Contact(data["contact_name"], data["contact_phone"], data["contact_email"]),
                consent=data["consent"],
                estimated_close_date=data["estimated_close_date"],
            )
        except ValidationError as exc:
            add_errors(
                form, exc, {"partner": "receiving_location", "location": "receiving_location"}
            )
        except AppError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("referrals:detail", referral_id=referral.pk)
    context = {"form": form, **suggestions_context(user, request.POST)}
    return render(request, "referrals/send.html", context)


# --- one referral (D4 to D8) --------------------------------------------------------------------


def stage_track(referral: Referral) -> list[dict[str, Any]]:
    """Every standard stage, in order, with whether it is complete."""
    marked = {mark.stage_id for mark in referral.stage_marks.all()}
    return [{"stage": stage, "complete": stage.pk in marked} for stage in sales_stages()]


def markable_stages(referral: Referral) -> Any:
    """Stages above the current one that a person marks; Won happens only by closing."""
    current = referral.stage.position if referral.stage else -1
    return sales_stages().exclude(code__in=AUTOMATIC_STAGES).filter(position__gt=current)


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = user_of(request)
    referral = selectors.referral_get(user=user, referral_id=referral_id)
    actions = selectors.actions_for(referral=referral, user=user)
    substatus = selectors.substatus_for(referral=referral, user=user)
    track = stage_track(referral)
    markable = markable_stages(referral)
    won_missing = (
        []
        if selectors.can_close_won(referral=referral)
        else [row["stage"] for row in track if not row["complete"] and row["stage"].code != WON]
    )
    context = {
        "referral": referral,
        "opportunity": referral.opportunity,
        "substatus": substatus,
        "substatus_label": Substatus(substatus).label,
        "status_label": selectors.status_for(referral=referral, user=user),
        "actions": actions,
        "track": track,
        "won_missing": won_missing,
        "stage_form": StageMarkForm(stages=markable),
        "can_mark": "stages" in actions and markable.exists(),
        "won_form": CloseWonForm(),
        "registration": getattr(referral, "registration", None),
    }
    return render(request, "referrals/referral_detail.html", context)


# --- settings and the campaign report --------------------------------------------------------


def require_partner_admin(request: HttpRequest) -> Any:
    user = user_of(request)
    if not user.is_partner_admin:
        raise NotFound()
    return user


@login_required
@require_http_methods(["GET", "POST"])
def crm_stages(request: HttpRequest) -> HttpResponse:
    """D9: Settings > CRM stages: the partner's own stage names with their percentages, each
    shown with the standard stage it maps to. Saving an existing name changes its percentage."""
    user = require_partner_admin(request)
    form = CrmStageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def perform(data: dict[str, Any]) -> Any:
            return crm_stage_services.crm_stage_save(
                actor=user, name=data["name"], percentage=data["percentage"]
            )

        if run_action(request, form, perform):
            messages.success(request, _("CRM stage saved."))
            return redirect("referrals:crm-stages")
    standard = list(sales_stages())
    rows = [
        {"stage": stage, "maps_to": standard_stage_for(stage.percentage, standard)}
        for stage in crm_stages_for_user(user=user)
    ]
    context = {
        "form": form,
        "rows": rows,
        "standard": standard,
        "section": "crm_stages",
        "can_manage_users": True,
    }
    return render(request, "referrals/crm_stages.html", context)


@login_required
@require_POST
def crm_stage_delete(request: HttpRequest, stage_id: int) -> HttpResponse:
    user = require_partner_admin(request)
    stage = crm_stage_get(user=user, stage_id=stage_id)
    crm_stage_services.crm_stage_delete(actor=user, stage=stage)
    messages.success(request, _("CRM stage deleted."))
    return redirect("referrals:crm-stages")


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    """Per marketing campaign ID: referrals created, won, won value and win rate."""
    user = user_of(request)
    if user.organization is None:
        raise NotFound()
    rows = selectors.campaign_report(user=user)
    return render(request, "referrals/campaigns.html", {"rows": rows})
