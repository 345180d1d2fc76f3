"""A downloadable template per kind: the header row the mapping recognises, and one example."""

import csv
import io

from openpyxl import Workbook

from openprm.imports.kinds import Kind
from openprm.imports.models import FileFormat

CONTENT_TYPES: dict[str, str] = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_file(kind: Kind, file_format: str) -> bytes:
    header = [column.field for column in kind.columns]
    example = [column.example for column in kind.columns]
    if file_format == FileFormat.XLSX:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = kind.value
        sheet.append(header)
        sheet.append(example)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerow(example)
    # The byte-order mark lets spreadsheet programs read the file as UTF-8.
    return text.getvalue().encode("utf-8-sig")
