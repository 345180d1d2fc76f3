"""An uploaded CSV or XLSX file as a table of text: its header row and its data rows, each with
the line it came from. A file that cannot be read (not UTF-8, not a workbook, no header, too
many rows) is a ValidationError on `file` that says what to do about it."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from openprm.core.errors import field_error
from openprm.imports.models import FileFormat


@dataclass
class Line:
    number: int
    cells: list[str]


@dataclass
class Table:
    headers: list[str]
    lines: list[Line]


def cell_text(value: Any) -> str:
    """A workbook's numbers and dates as someone would type them in a CSV."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_rows(handle: IO[bytes]) -> Iterator[list[str]]:
    try:
        text = handle.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise field_error(
            "file",
            _(
                "The file is not UTF-8 text (an unreadable byte at position %(position)s). "
                "Save it as “CSV UTF-8” and upload it again."
            )
            % {"position": exc.start},
            "encoding",
        ) from None
    if "\x00" in text:
        raise field_error("file", _("The file holds binary data, not CSV text."), "binary")
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise field_error(
            "file", _("The file is not valid CSV: %(reason)s.") % {"reason": exc}, "csv"
        ) from None


def xlsx_rows(handle: IO[bytes]) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(handle, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise field_error(
            "file", _("The file is not an Excel workbook (.xlsx)."), "not_xlsx"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(value) for value in values]
    finally:
        workbook.close()


def table_of(rows: Iterable[list[str]]) -> Table:
    headers: list[str] | None = None
    lines: list[Line] = []
    limit = settings.OPENPRM_IMPORT_MAX_ROWS
    for number, cells in enumerate(rows, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if headers is None:
            headers = [
                cell.strip() or _("Column %(n)s") % {"n": i + 1} for i, cell in enumerate(cells)
            ]
            continue
        lines.append(Line(number, cells))
        if len(lines) > limit:
            raise field_error(
                "file",
                _("A file holds at most %(max)s rows; split it and import each part.")
                % {"max": limit},
                "too_many_rows",
            )
    if headers is None:
        raise field_error("file", _("The file is empty: it has no header row."), "empty")
    if len(set(headers)) != len(headers):
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        raise field_error(
            "file",
            _("Column names must differ; repeated: %(names)s.") % {"names": ", ".join(repeated)},
            "repeated_column",
        )
    return Table(headers, lines)


def read_table(handle: IO[bytes], file_format: str) -> Table:
    rows = xlsx_rows(handle) if file_format == FileFormat.XLSX else csv_rows(handle)
    return table_of(rows)
