"""/api/v1/dashboard (the figures), /api/v1/reports (saved reports and their rows),
/api/v1/lists (static customer lists) and /api/v1/exports: the same selectors and services as
the pages. Lists, saved reports and exports are a partner's own: anyone else gets a 404. The
commission statements' own API is the points app's (`points.commissions.api`). The bodies are
in `schemas.py`.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import (
    DOWNLOAD_ERRORS,
    ERRORS,
    UPDATE_ERRORS,
    expected_version,
    with_etag,
)
from openprm.core.dates import program_today
from openprm.core.errors import NotFound
from openprm.core.files import stored_file_response
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.dashboard import figures, renewals, selectors, services
from openprm.dashboard.exports import CONTENT_TYPES
from openprm.dashboard.models import CustomerList, ExportStatus, SavedReport
from openprm.dashboard.periods import Period
from openprm.dashboard.reports import cell_text, report_rows
from openprm.dashboard.schemas import (
    DashboardOut,
    DashboardQuery,
    ExportIn,
    ExportOut,
    ListIn,
    ListOut,
    ListPatch,
    MemberOut,
    MembersAddedOut,
    MembersIn,
    ReportRunOut,
    RunQuery,
    SavedReportIn,
    SavedReportOut,
    SavedReportPatch,
)
from openprm.points.commissions import selectors as commission_selectors

router = Router(tags=["dashboard"])


def period_of(start: datetime.date | None, end: datetime.date | None) -> Period:
    default = Period.ending(program_today())
    return Period(start or default.start, end or default.end)


def measure(value: figures.Measure) -> dict[str, Decimal]:
    return {"current": value.current, "required": value.required, "remaining": value.remaining}


@router.get("/dashboard", response={200: DashboardOut, **ERRORS})
def get_dashboard(request: MemberRequest, query: Query[DashboardQuery]):
    user = request.user
    partner = selectors.dashboard_partner(user=user, partner_id=query.partner_id)
    period = period_of(query.start, query.end)
    today = program_today()
    program, progress = figures.tier_figures(
        user=user, partner=partner, on=today, target=query.tier
    )
    statements = list(commission_selectors.statements_for_partner(user=user, partner=partner))
    pdm = partner.pdm
    return {
        "partner_id": partner.pk,
        "start": period.start,
        "end": period.end,
        "program": {
            **program.__dict__,
            "sourced_revenue": program.sourced_revenue.__dict__
            | {"amount": program.sourced_revenue.amount},
            "sourced_mrr": program.sourced_mrr.__dict__ | {"amount": program.sourced_mrr.amount},
        },
        "tier_progress": {
            "target": progress.target,
            "total": measure(progress.total),
            "sold_minimum": measure(progress.sold),
            "managed_minimum": measure(progress.managed),
        },
        "point_changes": [
            f.__dict__ for f in figures.point_changes(user=user, partner=partner, period=period)
        ],
        "shared_sales": [
            f.__dict__ for f in figures.shared_sales(user=user, partner=partner, period=period)
        ],
        "commissions": {
            "past": [s for s in statements if s.payable_on <= today],
            "upcoming": [s for s in statements if s.payable_on > today],
            "current_quarter": [
                e.__dict__ | {"commission": e.commission}
                for e in commission_selectors.current_quarter_estimate(partner=partner, on=today)
            ],
        },
        "renewals": [
            r.__dict__ for r in renewals.upcoming_renewals(user=user, partner=partner, on=today)
        ],
        "vendor_team": {
            "pdm_name": (pdm.full_name or pdm.email) if pdm else None,
            "pdm_email": pdm.email if pdm else None,
            "description": partner.pdm_description,
        },
    }


@router.get("/reports", response={200: list[SavedReportOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_reports(request: MemberRequest):
    return selectors.saved_reports_for_user(user=request.user)


@router.post("/reports", response={201: SavedReportOut, **ERRORS})
def create_report(request: MemberRequest, response: HttpResponse, payload: SavedReportIn):
    report = services.saved_report_create(
        actor=request.user,
        name=payload.name,
        description=payload.description,
        kind=payload.kind,
        period=Period(payload.start, payload.end),
        on_dashboard=payload.on_dashboard,
    )
    return Status(201, with_etag(response, report))


@router.get("/reports/{int:report_id}", response={200: SavedReportOut, **ERRORS})
def get_report(request: MemberRequest, response: HttpResponse, report_id: int):
    return with_etag(response, selectors.saved_report_get(user=request.user, report_id=report_id))


@router.patch("/reports/{int:report_id}", response={200: SavedReportOut, **UPDATE_ERRORS})
def update_report(
    request: MemberRequest, response: HttpResponse, report_id: int, payload: SavedReportPatch
):
    report: SavedReport = selectors.saved_report_get(user=request.user, report_id=report_id)
    period = None
    if payload.start is not None or payload.end is not None:
        period = Period(payload.start or report.start, payload.end or report.end)
    report = services.saved_report_update(
        report=report,
        actor=request.user,
        expected_version=expected_version(request),
        name=payload.name,
        description=payload.description,
        period=period,
        on_dashboard=payload.on_dashboard,
    )
    return with_etag(response, report)


@router.delete("/reports/{int:report_id}", response={204: None, **UPDATE_ERRORS})
def delete_report(request: MemberRequest, report_id: int):
    report = selectors.saved_report_get(user=request.user, report_id=report_id)
    report.check_version(expected_version(request))
    services.saved_report_delete(report=report, actor=request.user)
    return Status(204, None)


@router.get("/reports/{int:report_id}/run", response={200: ReportRunOut, **ERRORS})
def run_report(request: MemberRequest, report_id: int, query: Query[RunQuery]):
    """The saved report's rows over its date range, a page at a time (`limit`, `offset`)."""
    saved = selectors.saved_report_get(user=request.user, report_id=report_id)
    report = report_rows(
        user=request.user,
        partner=saved.organization,
        kind=saved.kind,
        period=Period(saved.start, saved.end),
    )
    window = report.rows[query.offset : query.offset + query.limit]
    return {
        "kind": saved.kind,
        "start": saved.start,
        "end": saved.end,
        "columns": [str(column) for column in report.columns],
        "total": report.total,
        "customer_ids": report.customer_ids,
        "rows": [{"cells": [cell_text(cell) for cell in row]} for row in window],
    }


def customers_for(request: MemberRequest, customer_ids: list[int], source: Any) -> list[int]:
    if source is None:
        return customer_ids
    partner = selectors.own_partner(request.user)
    report = report_rows(
        user=request.user,
        partner=partner,
        kind=source.kind,
        period=Period(source.start, source.end),
    )
    return [*customer_ids, *report.customer_ids]


def list_for(request: MemberRequest, list_id: int) -> CustomerList:
    return selectors.customer_list_get(user=request.user, list_id=list_id)


@router.get("/lists", response={200: list[ListOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_lists(request: MemberRequest):
    return selectors.customer_lists_for_user(user=request.user)


@router.post("/lists", response={201: ListOut, **ERRORS})
def create_list(request: MemberRequest, response: HttpResponse, payload: ListIn):
    customer_ids = customers_for(request, payload.customer_ids, payload.from_report)
    created = services.customer_list_create(
        actor=request.user, name=payload.name, customer_ids=customer_ids
    )
    return Status(201, with_etag(response, list_for(request, created.pk)))


@router.get("/lists/{int:list_id}", response={200: ListOut, **ERRORS})
def get_list(request: MemberRequest, response: HttpResponse, list_id: int):
    return with_etag(response, list_for(request, list_id))


@router.patch("/lists/{int:list_id}", response={200: ListOut, **UPDATE_ERRORS})
def rename_list(request: MemberRequest, response: HttpResponse, list_id: int, payload: ListPatch):
    services.customer_list_rename(
        customer_list=list_for(request, list_id),
        actor=request.user,
        name=payload.name,
        expected_version=expected_version(request),
    )
    return with_etag(response, list_for(request, list_id))


@router.delete("/lists/{int:list_id}", response={204: None, **UPDATE_ERRORS})
def delete_list(request: MemberRequest, list_id: int):
    customer_list = list_for(request, list_id)
    customer_list.check_version(expected_version(request))
    services.customer_list_delete(customer_list=customer_list, actor=request.user)
    return Status(204, None)


@router.get("/lists/{int:list_id}/members", response={200: list[MemberOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_members(request: MemberRequest, list_id: int):
    return selectors.customer_list_members(customer_list=list_for(request, list_id))


@router.post("/lists/{int:list_id}/members", response={201: MembersAddedOut, **ERRORS})
def add_members(request: MemberRequest, list_id: int, payload: MembersIn):
    customer_list = list_for(request, list_id)
    customer_ids = customers_for(request, payload.customer_ids, payload.from_report)
    added = services.customer_list_add(
        customer_list=customer_list, actor=request.user, customer_ids=customer_ids
    )
    return Status(201, {"added": added})


@router.delete("/lists/{int:list_id}/members/{int:customer_id}", response={204: None, **ERRORS})
def remove_member(request: MemberRequest, list_id: int, customer_id: int):
    """Idempotent: a customer that is not (or no longer) on the list is simply not there."""
    services.customer_list_remove_member(
        customer_list=list_for(request, list_id), actor=request.user, customer_id=customer_id
    )
    return Status(204, None)


@router.get("/exports", response={200: list[ExportOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_exports(request: MemberRequest):
    return selectors.exports_for_user(user=request.user)


@router.post("/exports", response={201: ExportOut, 202: ExportOut, **ERRORS})
def create_export(request: MemberRequest, payload: ExportIn):
    """201 with a download link when the export is ready at once; 202 when the worker makes
    it (poll GET /exports/{id}, or wait for the notification)."""
    export = services.export_create(
        actor=request.user,
        name=payload.name,
        file_format=payload.file_format,
        kind=payload.kind,
        period=Period(payload.start, payload.end),
    )
    return Status(201 if export.status == ExportStatus.READY else 202, export)


@router.get("/exports/{int:export_id}", response={200: ExportOut, **ERRORS})
def get_export(request: MemberRequest, export_id: int):
    return selectors.export_get(user=request.user, export_id=export_id)


@router.get(
    "/exports/{int:export_id}/download",
    response={200: None, **DOWNLOAD_ERRORS},
    openapi_extra={"responses": {200: {"description": "The file (CSV or XLSX)."}}},
)
def download_export(request: MemberRequest, export_id: int):
    export = selectors.export_get(user=request.user, export_id=export_id)
    if export.status != ExportStatus.READY:
        raise NotFound()
    return stored_file_response(
        export.file, filename=export.filename, content_type=CONTENT_TYPES[export.file_format]
    )
