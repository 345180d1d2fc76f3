"""Co-sell referral pages: the lists with their tabs and export, one referral, the campaign
report, and the customer suggestions that "Send referral" and the wizard show. Each other page
is in its sub-domain's package: sending/, creation/ (the "New deal" wizard), lifecycle/, team/,
stages/, registration/ and crm_stages/. Views parse with forms and call the referrals selectors
and services; another organization's referral is a 404.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.errors import NotFound
from openprm.referrals import export as exporting
from openprm.referrals import selectors
from openprm.referrals.forms import ReferralFilterForm
from openprm.referrals.lifecycle.forms import CloseWonForm
from openprm.referrals.models import WON, Substatus
from openprm.referrals.pages import user_of
from openprm.referrals.selectors import ReferralFilters
from openprm.referrals.stages.forms import StageMarkForm
from openprm.referrals.stages.selectors import markable_stages, sales_stages, stage_track

PAGE_SIZE = 25


# --- lists (D1) -------------------------------------------------------------------------------


def location_choices(user: Any) -> list[tuple[str, str]]:
    locations = selectors.list_locations(user=user)
    if user.is_partner:
        return [(str(loc.pk), str(loc)) for loc in locations]
    return [(str(loc.pk), f"{loc.organization.name} · {loc}") for loc in locations]


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
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
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
def vendor_list(request: AuthenticatedRequest) -> HttpResponse:
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
        "can_send": selectors.can_send(user),
        "can_create": selectors.can_create(user),
        **extra,
    }
    return render(request, "referrals/referral_list.html", context)


@login_required
def export(request: AuthenticatedRequest) -> HttpResponse | StreamingHttpResponse:
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


# --- one referral (D4 to D8) ------------------------------------------------------------------


@login_required
def referral_detail(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
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


# --- the campaign report and the customer suggestions -----------------------------------------


@login_required
def campaigns(request: AuthenticatedRequest) -> HttpResponse:
    """Per marketing campaign ID: referrals created, won, won value and win rate."""
    user = user_of(request)
    if user.organization is None:
        raise NotFound()
    rows = selectors.campaign_report(user=user)
    return render(request, "referrals/campaigns.html", {"rows": rows})


@login_required
@require_GET
def customer_suggestions(request: AuthenticatedRequest) -> HttpResponse:
    """The suggestion list alone, for the script of the wizard's step 1 and of "Send referral"
    while the name is typed; the directory is searchable by every member."""
    user: Any = request.user
    if user.organization is None:
        raise NotFound()
    customers = selectors.customer_suggestions(
        user=user,
        country=request.GET.get("country", ""),
        q=request.GET.get("q", ""),
        duns=request.GET.get("duns", ""),
    )
    context = {"suggestions": customers, "selected": request.GET.get("customer", "")}
    return render(request, "referrals/_customer_suggestions.html", context)
