"""One run of a file through its kind's service: the check (a dry run) or the import. Either
ends with the file's problems, by line and column, or with its counts; an import with any
problem writes nothing."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openprm.core.spreadsheet import looks_like_formula
from openprm.crm.imports import Batch, RowErrors
from openprm.imports import progress
from openprm.imports.kinds import KINDS, Kind, row_values
from openprm.imports.models import ImportJob, ImportStatus
from openprm.imports.reading import Table, read_table

# The problems a check keeps to show (the first ones, by line); the count covers all.
PROBLEMS_KEPT = 500
# What pydantic puts before a validator's own words.
PYDANTIC_PREFIX = "Value error, "


def organization_of(job: ImportJob) -> Any:
    """The event of a vendor's import belongs to no partner."""
    return None if job.organization.is_vendor else job.organization


def formula_problems(kind: Kind, job: ImportJob, table: Table) -> list[dict[str, Any]]:
    positions = {field: job.headers.index(header) for field, header in job.mapping.items()}
    return [
        {
            "line": line.number,
            "column": job.mapping[field],
            "message": _("A cell may not hold a formula; type the value itself."),
        }
        for line in table.lines
        for field, position in positions.items()
        if position < len(line.cells) and looks_like_formula(line.cells[position])
    ]


def row_problems(job: ImportJob, table: Table, errors: RowErrors) -> list[dict[str, Any]]:
    kind = KINDS[job.kind]
    fields = {column.field for column in kind.columns}
    problems = []
    for index, field, message in errors.problems:
        name = field.split(".")[0]
        column = job.mapping.get(name) or (str(kind.column(name).label) if name in fields else "")
        line = table.lines[index].number if index < len(table.lines) else None
        plain = message.removeprefix(PYDANTIC_PREFIX)
        problems.append({"line": line, "column": column, "message": plain})
    return problems


def run_job(job: ImportJob) -> None:
    """Runs the check (status CHECKING) or the import (IMPORTING) and saves the outcome."""
    kind = KINDS[job.kind]
    with job.file.open("rb") as handle:
        table = read_table(handle, job.file_format)
    rows = [row_values(kind, job.mapping, job.headers, line.cells) for line in table.lines]
    problems = formula_problems(kind, job, table)
    checking = job.status == ImportStatus.CHECKING
    batch = Batch(
        max_rows=settings.OPENPRM_IMPORT_MAX_ROWS,
        dry_run=checking or bool(problems),
        progress=progress.reporter(job),
    )
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            counts = kind.runner(rows=rows, actor=job.requested_by, batch=batch)
    except ValidationError as exc:
        if not batch.errors.problems:
            problems.append({"line": None, "column": "", "message": " ".join(exc.messages)})
    problems += row_problems(job, table, batch.errors)
    save_outcome(job, problems, counts, checking)


def save_outcome(
    job: ImportJob, problems: list[dict[str, Any]], counts: dict[str, int], checking: bool
) -> None:
    problems.sort(key=lambda problem: problem["line"] or 0)
    job.problems = problems[:PROBLEMS_KEPT]
    job.error_count = len(problems)
    if problems:
        job.status = ImportStatus.INVALID
        counts = {}
    else:
        job.status = ImportStatus.READY if checking else ImportStatus.DONE
    job.created_count = counts.get("created", 0)
    job.updated_count = counts.get("updated", 0)
    job.unchanged_count = counts.get("unchanged", 0)
    job.save()


def import_run(*, job_id: int) -> str:
    """The worker's half: it re-checks the state, so a repeated task does nothing twice; a run
    that breaks is marked failed (and wrote nothing) instead of staying busy."""
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None:
                return "missing"
            if job.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING):
                run_job(job)
            return str(job.status)
    except Exception:
        ImportJob.objects.filter(
            pk=job_id, status__in=(ImportStatus.CHECKING, ImportStatus.IMPORTING)
        ).update(
            status=ImportStatus.FAILED,
            failure=_("The import stopped on an unexpected error; nothing was written."),
        )
        raise
    finally:
        progress.forget(job_id)
