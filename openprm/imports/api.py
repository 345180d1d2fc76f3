"""/api/v1/imports: CSV and XLSX imports, the same steps as the Imports page: upload the file
(multipart), check it with a column mapping (the preview, which writes nothing), start it.
Files of more than OPENPRM_IMPORT_INLINE_MAX_ROWS rows are checked and imported by the worker:
the answer is then a 202 and GET /imports/{id} shows the status and `percent`. Who imports
nothing, and another user's import, get a 404."""

import datetime
from typing import Any

from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, STRICT_UPLOAD, StrictSchema, only_parts
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.imports import selectors, services
from openprm.imports.models import FileFormat, ImportKind, ImportStatus
from openprm.imports.templates import CONTENT_TYPES, template_file

router = Router(tags=["imports"])
UPLOAD_ERRORS = {**ERRORS, 413: ERRORS[422]}
QUEUED = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class UploadIn(Schema):
    kind: ImportKind


class ColumnChoice(StrictSchema):
    field: str = Field(max_length=50, description="A field of the kind, as in the template.")
    column: str = Field(max_length=200, description="The file's column that holds it.")


class CheckIn(StrictSchema):
    mapping: list[ColumnChoice] = Field(
        max_length=50, description="Every required field is mapped; a field at most once."
    )


class ProblemOut(Schema):
    line: int | None = Field(description="The file's line; the header is line 1.")
    column: str
    message: str


class ImportOut(Schema):
    id: int
    kind: ImportKind
    filename: str
    file_format: FileFormat
    status: ImportStatus
    headers: list[str]
    mapping: dict[str, str]
    row_count: int
    percent: int = Field(0, description="How far the worker is, while checking or importing.")
    error_count: int
    problems: list[ProblemOut] = Field(description="The first problems, by line.")
    created_count: int
    updated_count: int
    unchanged_count: int
    failure: str
    created_at: datetime.datetime


def queued_or_done(job: Any) -> Status:
    return Status(202 if job.status in QUEUED else 200, job)


@router.get("/imports", response={200: list[ImportOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_imports(request: MemberRequest):
    """Your imports, newest first, a page at a time (`limit`, `offset`) as every list."""
    return selectors.imports_for_user(user=request.user)


@router.post("/imports", response={201: ImportOut, **UPLOAD_ERRORS}, openapi_extra=STRICT_UPLOAD)
def upload_import(request: MemberRequest, payload: Form[UploadIn], file: File[UploadedFile]):
    """Multipart: `kind` and the `file` (.csv in UTF-8, or .xlsx). Nothing is imported yet:
    the answer holds the file's columns and a suggested mapping."""
    only_parts(request, "kind", "file")
    job = services.import_upload(actor=request.user, kind=payload.kind, upload=file)
    return Status(201, job)


@router.get("/imports/{int:import_id}", response={200: ImportOut, **ERRORS})
def get_import(request: MemberRequest, import_id: int):
    return selectors.import_get(user=request.user, import_id=import_id)


@router.post("/imports/{int:import_id}/check", response={200: ImportOut, 202: ImportOut, **ERRORS})
def check_import(request: MemberRequest, import_id: int, payload: CheckIn):
    """The preview: every row through the same rules as the import, nothing written. The
    status becomes `ready` or `invalid` (with `problems`)."""
    job = selectors.import_get(user=request.user, import_id=import_id)
    return queued_or_done(
        services.import_check(
            actor=request.user,
            job=job,
            mapping={choice.field: choice.column for choice in payload.mapping},
        )
    )


@router.post("/imports/{int:import_id}/start", response={200: ImportOut, 202: ImportOut, **ERRORS})
def start_import(request: MemberRequest, import_id: int):
    """All rows or none: a `ready` import becomes `done`, or `invalid` when a row no longer
    passes (nothing written)."""
    job = selectors.import_get(user=request.user, import_id=import_id)
    return queued_or_done(services.import_start(actor=request.user, job=job))


@router.get(
    "/imports/templates/{import_kind}/{file_format}",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "The template (CSV or XLSX)."}}},
)
def download_template(request: MemberRequest, import_kind: ImportKind, file_format: FileFormat):
    chosen = selectors.chosen_kind(request.user, import_kind)
    response = HttpResponse(
        template_file(chosen, file_format), content_type=CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{chosen.value}.{file_format}"'
    return response
