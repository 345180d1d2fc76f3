"""A file import's steps: upload (the file is read and its columns are suggested a mapping),
check (the preview: every row through the kind's service without writing anything), import
(all rows in one transaction, or none). Files up to OPENPRM_IMPORT_INLINE_MAX_ROWS rows are
checked and imported during the request; larger ones by the worker (`tasks.run_import`, which
runs `running.import_run`) and report their progress through `progress`."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openprm.accounts.models import User
from openprm.core.errors import Conflict, NotFound, field_error
from openprm.core.events import record_event
from openprm.imports import progress
from openprm.imports.kinds import KINDS
from openprm.imports.mapping import clean_mapping, suggested_mapping
from openprm.imports.models import FileFormat, ImportJob, ImportStatus
from openprm.imports.reading import read_table
from openprm.imports.running import organization_of, run_job
from openprm.imports.selectors import chosen_kind
from openprm.imports.tasks import run_import


def file_format_of(upload: UploadedFile[bytes]) -> str:
    suffix = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if suffix not in FileFormat.values:
        raise field_error("file", _("Upload a .csv or .xlsx file."), "file_format")
    if upload.size is not None and upload.size > settings.OPENPRM_IMPORT_MAX_BYTES:
        raise field_error(
            "file",
            _("The file is larger than %(max)s MB.")
            % {"max": settings.OPENPRM_IMPORT_MAX_BYTES // 2**20},
            "too_large",
        )
    return suffix


@transaction.atomic
def import_upload(*, actor: User, kind: str, upload: UploadedFile[bytes]) -> ImportJob:
    chosen = chosen_kind(actor, kind)
    file_format = file_format_of(upload)
    upload.seek(0)
    table = read_table(upload, file_format)
    job = ImportJob(
        organization=actor.organization,
        requested_by=actor,
        kind=chosen.value,
        filename=PurePath(upload.name or "").name[:200],
        file_format=file_format,
        headers=table.headers,
        row_count=len(table.lines),
        mapping=suggested_mapping(chosen, table.headers),
    )
    upload.seek(0)
    job.file.save(f"import-{uuid.uuid4().hex}.{file_format}", upload, save=False)
    job.save()
    record_event(
        kind="import.uploaded",
        obj=job,
        actor=actor,
        organization=organization_of(job),
        data={"kind": job.kind, "rows": job.row_count, "format": file_format},
    )
    return job


# Why a step cannot be taken in the import's state, and what to do instead.
STATE_REFUSALS: dict[str, Promise] = {
    ImportStatus.MAPPING: gettext_lazy("This import has not been checked yet: check it first."),
    ImportStatus.CHECKING: gettext_lazy(
        "This import is being checked: wait until the check has finished."
    ),
    ImportStatus.INVALID: gettext_lazy(
        "This import has errors: correct the file or the column mapping and check it again."
    ),
    ImportStatus.READY: gettext_lazy("This import has been checked and is ready to start."),
    ImportStatus.IMPORTING: gettext_lazy("This import is running: wait until it has finished."),
    ImportStatus.DONE: gettext_lazy(
        "This import has finished: upload the file again to import it once more."
    ),
    ImportStatus.FAILED: gettext_lazy("This import failed: upload the file again."),
}


def locked_job(job: ImportJob, actor: User, *allowed: str) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.requested_by_id != actor.pk:
        raise NotFound()
    if job.status not in allowed:
        raise Conflict(str(STATE_REFUSALS[job.status]), code="import_state")
    return job


@transaction.atomic
def import_check(*, actor: User, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """The preview: nothing is written, whatever the file holds."""
    job = locked_job(job, actor, ImportStatus.MAPPING, ImportStatus.INVALID, ImportStatus.READY)
    job.mapping = clean_mapping(KINDS[job.kind], job.headers, mapping)
    job.status = ImportStatus.CHECKING
    job.save()
    run_or_queue(job)
    record_event(kind="import.checked", obj=job, actor=actor, organization=organization_of(job))
    return job


@transaction.atomic
def import_start(*, actor: User, job: ImportJob) -> ImportJob:
    job = locked_job(job, actor, ImportStatus.READY)
    job.status = ImportStatus.IMPORTING
    job.save()
    run_or_queue(job)
    record_event(kind="import.started", obj=job, actor=actor, organization=organization_of(job))
    return job


def run_or_queue(job: ImportJob) -> None:
    if job.row_count <= settings.OPENPRM_IMPORT_INLINE_MAX_ROWS:
        run_job(job)
        return
    progress.start(job)
    job_id = job.pk
    transaction.on_commit(lambda: run_import.enqueue(job_id))
