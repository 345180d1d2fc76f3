"""Attachments are checked by what they contain, not by the name or type the browser claims."""

import io
import zipfile

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from openprm.core.errors import field_error

# (magic prefix, content type) for the allow-list; Office files are zips, checked below.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Every type an attachment can have: the download documents each.
CONTENT_TYPES = sorted(
    {content_type for _magic, content_type in SIGNATURES} | {*OFFICE_TYPES.values()}
)


def office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, content_type in OFFICE_TYPES.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def sniff(data: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    if data.startswith(b"PK\x03\x04"):
        return office_type(data)
    return None


def checked_content_type(upload: UploadedFile, *, field: str = "attachments") -> str:
    """The allowed content type of an upload, or a field error; never trusts upload.content_type."""
    limit = settings.OPENPRM_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise field_error(
            field,
            _("“%(name)s” is larger than %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(limit)},
            "too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = sniff(data)
    if content_type is None:
        raise field_error(
            field,
            _("“%(name)s” is not a PDF, PNG, JPEG, GIF, Word or Excel file.")
            % {"name": upload.name},
            "forbidden_type",
        )
    return content_type
