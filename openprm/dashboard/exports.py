"""Export files: a report's rows, exactly as the report shows them, as CSV or XLSX, and the
worker's half of a large export.

The name becomes the download's file name, so it may not carry path or control characters.
"""

import re

import tablib
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from openprm.core.errors import field_error
from openprm.core.events import record_event
from openprm.core.spreadsheet import safe_row
from openprm.dashboard import notices
from openprm.dashboard.models import Export, ExportFormat, ExportStatus
from openprm.dashboard.periods import Period
from openprm.dashboard.reports import Report, cell_text, report_rows
from openprm.notifications.services import notify

# Separators, characters file systems refuse, and control characters.
FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
CONTENT_TYPES: dict[str, str] = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def clean_export_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise field_error("name", _("Name the export."), "required")
    if len(name) > 100:
        raise field_error("name", _("An export name has at most 100 characters."), "too_long")
    if FORBIDDEN.search(name) or name.startswith("."):
        raise field_error(
            "name",
            _('An export name cannot contain / \\ : * ? " < > | or start with a dot.'),
            "path_characters",
        )
    return name


def report_file(report: Report, file_format: str) -> bytes:
    dataset = tablib.Dataset(headers=[str(column) for column in report.columns])
    for row in report.rows:
        dataset.append(safe_row([cell_text(cell) for cell in row]))
    if file_format == ExportFormat.XLSX:
        dataset.title = str(report.title)[:31]
        return dataset.export("xlsx")
    # The byte-order mark lets spreadsheet programs read Thai and Japanese names as UTF-8.
    return dataset.export("csv").encode("utf-8-sig")


def write_export_file(export: Export) -> None:
    report = report_rows(
        user=export.requested_by,
        partner=export.organization,
        kind=export.kind,
        period=Period(export.start, export.end),
    )
    content = report_file(report, export.file_format)
    export.file.save(f"export-{export.pk}.{export.file_format}", ContentFile(content), save=False)
    export.row_count = len(report.rows)
    export.status = ExportStatus.READY
    export.save(update_fields=["file", "row_count", "status", "updated_at"])


def export_build(*, export_id: int) -> str:
    """The worker's half of a large export. It re-checks the state, so a retried or
    duplicated task neither rebuilds the file nor notifies twice; an export that cannot be
    made is marked failed (the task's error says why) instead of waiting forever."""
    try:
        return _build(export_id)
    except Exception:
        Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.FAILED
        )
        raise


def _build(export_id: int) -> str:
    with transaction.atomic():
        export = (
            Export.objects.select_for_update()
            .select_related("requested_by", "organization")
            .filter(pk=export_id)
            .first()
        )
        if export is None:
            return "missing"
        if export.status == ExportStatus.QUEUED:
            write_export_file(export)
            record_event(
                kind="dashboard.export_ready",
                obj=export,
                organization=export.organization,
                data={"rows": export.row_count},
            )
        if export.status != ExportStatus.READY:
            return str(export.status)
        recipient = export.requested_by
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            title = _("Your export %(name)s is ready") % {"name": export.name}
            body = _("%(rows)s rows, %(format)s.") % {
                "rows": export.row_count,
                "format": export.get_file_format_display(),
            }
        notify(
            recipient=recipient,
            kind=notices.EXPORT_READY,
            cause=f"export:{export.pk}",
            title=title,
            body=body,
            link=reverse("dashboard:export-download", args=[export.pk]),
        )
    return "ready"
