"""Downloads of stored files (deal attachments, report exports).

The database and the media folder are backed up and restored apart (`openprm backup` copies the
database only), so a row may name a file that storage no longer holds. That download is a 410
saying so, on the page and in the API, never a 500; lists keep showing the row from its own
columns (name, size) without touching storage.
"""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from openprm.core.errors import Gone


def stored_file_response(stored: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = stored.open("rb") if stored.name else None
    except FileNotFoundError:
        handle = None
    if handle is None:
        raise Gone(
            _("The file %(name)s is missing from storage; ask for it to be uploaded again.")
            % {"name": filename},
            code="file_missing",
        )
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
