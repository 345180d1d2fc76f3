"""Partner > Dashboard, its reports and their actions, static lists, exports, statements, and
the vendor's channel dashboard. Views parse with forms and call selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.accounts.models import Organization
from openprm.core.dates import program_today
from openprm.core.errors import NotFound
from openprm.core.files import stored_file_response
from openprm.crm.selectors import PartnerFilters
from openprm.dashboard import channel, charts, figures, renewals, selectors, services
from openprm.dashboard.exports import CONTENT_TYPES
from openprm.dashboard.forms import (
    ChannelFilterForm,
    DateRangeForm,
    ExportForm,
    SaveReportForm,
    TargetTierForm,
    UseInListForm,
)
from openprm.dashboard.models import ExportStatus, ReportKind
from openprm.dashboard.periods import Period
from openprm.dashboard.reports import report_rows
from openprm.points.commissions import selectors as commission_selectors
from openprm.points.commissions.statements import statement_csv_response

REPORT_PAGE_SIZE = 100


def user_of(request: HttpRequest) -> Any:
    return request.user


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Partner > Dashboard. The program admin and PDMs land on the channel dashboard."""
    user = user_of(request)
    if not user.is_partner:
        if selectors.can_see_channel(user):
            return redirect("dashboard:channel")
        raise NotFound()
    return render_dashboard(request, user, user.organization, read_only=False)


@login_required
def partner_dashboard(request: AuthenticatedRequest, partner_id: int) -> HttpResponse:
    """A partner's dashboard as the program admin or its PDM sees it: read-only."""
    user = user_of(request)
    if not selectors.can_see_channel(user):
        raise NotFound()
    partner = selectors.dashboard_partner(user=user, partner_id=partner_id)
    return render_dashboard(request, user, partner, read_only=True)


def report_url(partner: Organization, kind: str, period: Period, read_only: bool) -> str:
    if read_only:
        path = reverse("dashboard:partner-report", args=[partner.pk, kind])
    else:
        path = reverse("dashboard:report", args=[kind])
    return f"{path}?{urlencode({'start': period.start.isoformat(), 'end': period.end.isoformat()})}"


def carried(request: HttpRequest, *names: str) -> list[tuple[str, str]]:
    """The other forms' query parameters, as hidden inputs, so submitting one of the
    dashboard's GET forms keeps what the others chose."""
    return [(name, request.GET[name]) for name in names if name in request.GET]


def render_dashboard(
    request: HttpRequest, user: Any, partner: Organization, *, read_only: bool
) -> HttpResponse:
    today = program_today()
    default = Period.ending(today)
    changes_form = DateRangeForm(
        request.GET if "changes-start" in request.GET else None, prefix="changes", default=default
    )
    sales_form = DateRangeForm(
        request.GET if "sales-start" in request.GET else None, prefix="sales", default=default
    )
    program, progress = figures.tier_figures(
        user=user, partner=partner, on=today, target=request.GET.get("tier") or None
    )
    target_form = TargetTierForm(initial={"tier": progress.target}, tiers=progress.tiers)
    changes_period, sales_period = changes_form.period(), sales_form.period()
    changes_fields = [changes_form[name].html_name for name in changes_form.fields]
    sales_fields = [sales_form[name].html_name for name in sales_form.fields]
    tier_fields = [target_form["tier"].html_name]
    changes = sales = None
    if changes_period:
        changes = [
            (figure, report_url(partner, figure.kind, changes_period, read_only))
            for figure in figures.point_changes(user=user, partner=partner, period=changes_period)
        ]
    if sales_period:
        sales = [
            (figure, report_url(partner, figure.kind, sales_period, read_only))
            for figure in figures.shared_sales(user=user, partner=partner, period=sales_period)
        ]
    statements = list(commission_selectors.statements_for_partner(user=user, partner=partner))
    context = {
        "partner": partner,
        "read_only": read_only,
        "today": today,
        "program": program,
        "tier_progress": progress,
        "target_form": target_form,
        "changes_form": changes_form,
        "sales_form": sales_form,
        "target_keep": carried(request, *changes_fields, *sales_fields),
        "changes_keep": carried(request, *sales_fields, *tier_fields),
        "sales_keep": carried(request, *changes_fields, *tier_fields),
        "changes": changes,
        "sales": sales,
        "past_statements": [s for s in statements if s.payable_on <= today],
        "upcoming_statements": [s for s in statements if s.payable_on > today],
        "estimates": commission_selectors.current_quarter_estimate(partner=partner, on=today),
        "renewals": renewals.upcoming_renewals(user=user, partner=partner, on=today),
        "charts": charts.dashboard_charts(partner=partner, on=today),
        "saved_reports": []
        if read_only
        else list(selectors.saved_reports_for_user(user=user, on_dashboard=True)),
    }
    invalid = changes_period is None or sales_period is None
    return render(request, "dashboard/home.html", context, status=422 if invalid else 200)


def report_kind(kind: str) -> str:
    if kind not in ReportKind.values:
        raise NotFound()
    return kind


def report_context(
    request: HttpRequest, user: Any, partner: Organization, kind: str, period: Period | None
) -> dict[str, Any]:
    report = report_rows(user=user, partner=partner, kind=kind, period=period) if period else None
    page = (
        Paginator(report.rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
        if report
        else None
    )
    page_query = (
        urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()}) + "&"
        if period
        else ""
    )
    return {"partner": partner, "kind": kind, "label": ReportKind(kind).label, "report": report,
            "page": page, "period": period, "page_query": page_query}  # fmt: skip


def action_forms(user: Any, data: Any = None, which: str = "") -> dict[str, Any]:
    lists = selectors.customer_lists_for_user(user=user)
    return {
        "list_form": UseInListForm(data if which == "list" else None, lists=lists, prefix="list"),
        "export_form": ExportForm(data if which == "export" else None, prefix="export"),
        "save_form": SaveReportForm(data if which == "save" else None, prefix="save"),
    }


def range_form(request: HttpRequest, data: Any) -> DateRangeForm:
    today = program_today()
    bound = data if "start" in data else None
    return DateRangeForm(bound, default=Period.ending(today))


@login_required
def report(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """A dashboard figure's report: the customers and records behind it, with its actions."""
    user = user_of(request)
    partner = selectors.own_partner(user)
    kind = report_kind(kind)
    form = range_form(request, request.GET)
    period = form.period()
    context = report_context(request, user, partner, kind, period)
    context.update(action_forms(user), range_form=form, read_only=False)
    return render(request, "dashboard/report.html", context, status=200 if period else 422)


@login_required
def partner_report(request: AuthenticatedRequest, partner_id: int, kind: str) -> HttpResponse:
    user = user_of(request)
    if not selectors.can_see_channel(user):
        raise NotFound()
    partner = selectors.dashboard_partner(user=user, partner_id=partner_id)
    kind = report_kind(kind)
    form = range_form(request, request.GET)
    period = form.period()
    context = report_context(request, user, partner, kind, period)
    context.update(range_form=form, read_only=True)
    return render(request, "dashboard/report.html", context, status=200 if period else 422)


def invalid_action(
    request: HttpRequest, user: Any, partner: Organization, kind: str, which: str, **extra: Any
) -> HttpResponse:
    form = range_form(request, request.POST)
    period = form.period()
    context = report_context(request, user, partner, kind, period)
    context.update(action_forms(user, request.POST, which), range_form=form, read_only=False)
    context.update(open_panel=which, **extra)
    return render(request, "dashboard/report.html", context, status=422)


def add_service_errors(form: Any, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def posted_report(request: HttpRequest, kind: str) -> tuple[Any, Organization, str, Any]:
    user = user_of(request)
    partner = selectors.own_partner(user)
    return user, partner, report_kind(kind), range_form(request, request.POST).period()


def back_to_report(kind: str, period: Period) -> HttpResponse:
    query = urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
    return redirect(f"{reverse('dashboard:report', args=[kind])}?{query}")


@login_required
@require_POST
def report_use_in_list(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """ "Use in list": the report's customers into a new or an existing static list."""
    user, partner, kind, period = posted_report(request, kind)
    forms = action_forms(user, request.POST, "list")
    form = forms["list_form"]
    if period is None or not form.is_valid():
        return invalid_action(request, user, partner, kind, "list")
    customer_ids = report_rows(user=user, partner=partner, kind=kind, period=period).customer_ids
    try:
        if form.cleaned_data["mode"] == UseInListForm.NEW:
            customer_list = services.customer_list_create(
                actor=user, name=form.cleaned_data["name"], customer_ids=customer_ids
            )
            added = len(customer_ids)
        else:
            customer_list = form.cleaned_data["existing"]
            added = services.customer_list_add(
                customer_list=customer_list, actor=user, customer_ids=customer_ids
            )
    except ValidationError as error:
        add_service_errors(form, error)
        context = report_context(request, user, partner, kind, period)
        context.update(forms, range_form=range_form(request, request.POST), read_only=False)
        context["open_panel"] = "list"
        return render(request, "dashboard/report.html", context, status=422)
    messages.success(
        request,
        _("%(count)s customers added to %(name)s.") % {"count": added, "name": customer_list.name},
    )
    return redirect("dashboard:list-detail", list_id=customer_list.pk)


@login_required
@require_POST
def report_export(request: AuthenticatedRequest, kind: str) -> HttpResponseBase:
    """ "Export unsummarized data": a small export downloads at once; a large one is made by
    the worker and announced by a notification."""
    user, partner, kind, period = posted_report(request, kind)
    forms = action_forms(user, request.POST, "export")
    form = forms["export_form"]
    if period is None or not form.is_valid():
        return invalid_action(request, user, partner, kind, "export")
    export = services.export_create(
        actor=user,
        name=form.cleaned_data["name"],
        file_format=form.cleaned_data["file_format"],
        kind=kind,
        period=period,
    )
    if export.status == ExportStatus.READY:
        return download(export)
    messages.info(
        request,
        _("Your export is being prepared; you will be notified when it is ready to download."),
    )
    return back_to_report(kind, period)


@login_required
@require_POST
def report_save(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """ "Save as report": "Save", or "Save and add" to put it on the dashboard."""
    user, partner, kind, period = posted_report(request, kind)
    forms = action_forms(user, request.POST, "save")
    form = forms["save_form"]
    if period is None or not form.is_valid():
        return invalid_action(request, user, partner, kind, "save")
    add = request.POST.get("action") == "save_and_add"
    saved = services.saved_report_create(
        actor=user,
        name=form.cleaned_data["name"],
        description=form.cleaned_data["description"],
        kind=kind,
        period=period,
        on_dashboard=add,
    )
    messages.success(request, _("Report %(name)s saved.") % {"name": saved.name})
    return redirect("dashboard:home" if add else "dashboard:saved-reports")


@login_required
def saved_reports(request: AuthenticatedRequest) -> HttpResponse:
    user = user_of(request)
    selectors.own_partner(user)
    reports = selectors.saved_reports_for_user(user=user)
    return render(request, "dashboard/saved_reports.html", {"reports": reports})


@login_required
def saved_report(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    """A saved report reopened: the same report over its saved date range."""
    user = user_of(request)
    saved = selectors.saved_report_get(user=user, report_id=report_id)
    period = Period(saved.start, saved.end)
    form = DateRangeForm(None, default=period)
    context = report_context(request, user, saved.organization, saved.kind, period)
    context.update(action_forms(user), range_form=form, read_only=False, saved=saved)
    return render(request, "dashboard/report.html", context)


@login_required
@require_POST
def saved_report_delete(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    user = user_of(request)
    saved = selectors.saved_report_get(user=user, report_id=report_id)
    services.saved_report_delete(report=saved, actor=user)
    messages.success(request, _("Report %(name)s deleted.") % {"name": saved.name})
    return redirect("dashboard:saved-reports")


@login_required
def customer_lists(request: AuthenticatedRequest) -> HttpResponse:
    user = user_of(request)
    selectors.own_partner(user)
    lists = selectors.customer_lists_for_user(user=user)
    return render(request, "dashboard/lists.html", {"lists": lists})


@login_required
def customer_list_detail(request: AuthenticatedRequest, list_id: int) -> HttpResponse:
    user = user_of(request)
    customer_list = selectors.customer_list_get(user=user, list_id=list_id)
    members = Paginator(selectors.customer_list_members(customer_list=customer_list), 100)
    context = {"list": customer_list, "page": members.get_page(request.GET.get("page"))}
    return render(request, "dashboard/list_detail.html", context)


@login_required
@require_POST
def customer_list_member_remove(
    request: HttpRequest, list_id: int, customer_id: int
) -> HttpResponse:
    user = user_of(request)
    customer_list = selectors.customer_list_get(user=user, list_id=list_id)
    if services.customer_list_remove_member(
        customer_list=customer_list, actor=user, customer_id=customer_id
    ):
        messages.success(request, _("Removed from the list."))
    return redirect("dashboard:list-detail", list_id=customer_list.pk)


@login_required
@require_POST
def customer_list_delete(request: AuthenticatedRequest, list_id: int) -> HttpResponse:
    user = user_of(request)
    customer_list = selectors.customer_list_get(user=user, list_id=list_id)
    services.customer_list_delete(customer_list=customer_list, actor=user)
    messages.success(request, _("List %(name)s deleted.") % {"name": customer_list.name})
    return redirect("dashboard:lists")


@login_required
def exports(request: AuthenticatedRequest) -> HttpResponse:
    user = user_of(request)
    selectors.own_partner(user)
    page = Paginator(selectors.exports_for_user(user=user), 50).get_page(request.GET.get("page"))
    return render(request, "dashboard/exports.html", {"page": page})


def download(export: Any) -> FileResponse:
    return stored_file_response(
        export.file, filename=export.filename, content_type=CONTENT_TYPES[export.file_format]
    )


@login_required
def export_download(request: AuthenticatedRequest, export_id: int) -> HttpResponseBase:
    export = selectors.export_get(user=user_of(request), export_id=export_id)
    if export.status != ExportStatus.READY:
        raise NotFound()
    return download(export)


@login_required
def statement_download(request: AuthenticatedRequest, statement_id: int) -> HttpResponse:
    statement = commission_selectors.statement_get(user=user_of(request), statement_id=statement_id)
    return statement_csv_response(statement)


@login_required
def channel_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """The channel dashboard: the program admin sees every partner, a PDM their own; filtered,
    sorted by a column and paged."""
    user = user_of(request)
    today = program_today()
    choices = channel.channel_choices(user=user, on=today)
    form = ChannelFilterForm(request.GET or None, choices=choices)
    valid = form.is_bound and form.is_valid()
    filters, sort = form.filters() if valid else (PartnerFilters(), "name")
    page = channel.channel_page(
        user=user,
        on=today,
        filters=filters,
        sort=sort,
        page_number=request.GET.get("page"),
        rules=choices.rules,
    )
    columns = [
        ("name", _("Partner")),
        ("credited", _("Credited tier")),
        ("performance", _("Tier performance")),
        ("trend", _("Trend")),
        ("risk", _("At risk")),
    ]
    kept = request.GET.copy()
    kept.pop("page", None)
    filtered = kept.copy()
    filtered.pop("sort", None)
    context = {
        "page": page,
        "sort": sort,
        "columns": columns,
        "form": form,
        "query": kept.urlencode(),
        "filter_query": filtered.urlencode(),
    }
    return render(request, "dashboard/channel.html", context)
