"""Settings > Imports: upload a CSV or XLSX file, map its columns, see every row's problem
before anything is written, then import all rows or none. Large files are checked and imported
by the worker; their page shows a progress bar and reloads itself until the worker is done."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.accounts.services import can_manage_users
from openprm.core.errors import Conflict
from openprm.core.forms import add_errors
from openprm.imports import selectors, services
from openprm.imports.forms import MappingForm, UploadForm
from openprm.imports.kinds import KINDS
from openprm.imports.models import FileFormat, ImportJob, ImportStatus
from openprm.imports.templates import CONTENT_TYPES, template_file

# A page of a file the worker is on reloads itself this often (seconds).
RELOAD_SECONDS = 3


def page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    user: Any = request.user
    context = {"section": "imports", "can_manage_users": can_manage_users(user), **context}
    return render(request, template, context, status=status)


def detail_page(
    request: HttpRequest, job: ImportJob, form: MappingForm | None = None, status: int = 200
) -> HttpResponse:
    kind = KINDS[job.kind]
    form = form or MappingForm(kind=kind, headers=job.headers, mapping=job.mapping)
    busy = job.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)
    return page(
        request,
        "imports/detail.html",
        status,
        job=job,
        kind=kind,
        form=form,
        busy=busy,
        reload_seconds=RELOAD_SECONDS,
        can_map=job.status in (ImportStatus.MAPPING, ImportStatus.INVALID, ImportStatus.READY),
    )


@login_required
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    imports = selectors.imports_for_user(user=request.user)
    kinds = selectors.importer_kinds(user=request.user)
    return page(
        request, "imports/list.html", imports=imports, kinds=kinds, formats=FileFormat.choices
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    kinds = selectors.importer_kinds(user=request.user)
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_upload(
                actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("imports:detail", job.pk)
    status = 422 if form.errors else 200
    return page(request, "imports/upload.html", status, form=form, kinds=kinds)


@login_required
def import_detail(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    return detail_page(request, selectors.import_get(user=request.user, import_id=import_id))


@login_required
@require_POST
def import_check(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    job = selectors.import_get(user=request.user, import_id=import_id)
    form = MappingForm(request.POST, kind=KINDS[job.kind], headers=job.headers, mapping=job.mapping)
    if form.is_valid():
        try:
            services.import_check(actor=request.user, job=job, mapping=form.mapping())
        except ValidationError as exc:
            add_errors(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            return redirect("imports:detail", job.pk)
    return detail_page(request, job, form, status=422 if form.errors else 200)


@login_required
@require_POST
def import_start(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    job = selectors.import_get(user=request.user, import_id=import_id)
    try:
        job = services.import_start(actor=request.user, job=job)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        if job.status == ImportStatus.DONE:
            messages.success(request, _("Imported."))
    return redirect("imports:detail", job.pk)


@login_required
def template_download(
    request: AuthenticatedRequest, import_kind: str, file_format: str
) -> HttpResponse:
    if file_format not in FileFormat.values:
        raise Http404
    try:
        chosen = selectors.chosen_kind(request.user, import_kind)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(
        template_file(chosen, file_format), content_type=CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{chosen.value}.{file_format}"'
    return response
