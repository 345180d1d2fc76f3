"""CSV and XLSX export of a filtered referral list (D1), as the user sees it.

Rows are read with `iterator()` and CSV is produced line by line, so a long list is streamed,
never held whole; openpyxl's write-only workbook keeps XLSX memory flat too.
"""

import codecs
import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from openprm.core.money import from_minor
from openprm.core.spreadsheet import safe_row
from openprm.crm.models import OpportunityKind
from openprm.referrals.models import Referral, Substatus
from openprm.referrals.selectors import ReferralFilters, filtered_referrals, substatus_for

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK = 500


def headers() -> list[str]:
    return [
        _("Deal name"),
        _("Deal type"),
        _("Direction"),
        _("Status"),
        _("Sales stage"),
        _("Customer"),
        _("DUNS number"),
        _("Location"),
        _("Estimated value"),
        _("Currency"),
        _("Estimated close date"),
        _("CRM ID"),
        _("Marketing campaign ID"),
        _("Created"),
        _("Expires"),
    ]


def row_of(referral: Referral, user: Any) -> list[Any]:
    opportunity = referral.opportunity
    return [
        opportunity.name,
        str(OpportunityKind(opportunity.kind).label),
        referral.get_direction_display(),
        str(Substatus(substatus_for(referral=referral, user=user)).label),
        referral.stage.label if referral.stage else "",
        opportunity.customer.name,
        opportunity.customer.duns,
        str(referral.location),
        from_minor(opportunity.amount_minor, opportunity.currency_id),
        opportunity.currency_id,
        referral.estimated_close_date,
        referral.crm_id,
        referral.campaign_id,
        local_time(referral.created_at),
        local_time(referral.expires_at) if referral.expires_at else None,
    ]


def local_time(moment: datetime.datetime) -> datetime.datetime:
    """The reader's wall-clock time to the second, as a spreadsheet shows it: no offset, no
    microseconds."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def rows(*, user: Any, filters: ReferralFilters) -> Iterator[list[Any]]:
    referrals = (
        filtered_referrals(user=user, filters=filters)
        .select_related("opportunity", "opportunity__customer", "location", "stage")
        .order_by("-created_at", "-id")
    )
    for referral in referrals.iterator(chunk_size=CHUNK):
        yield row_of(referral, user)


def csv_lines(table: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, without which Excel reads Japanese and Thai as mojibake."""
    yield codecs.BOM_UTF8
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in table:
        writer.writerow(safe_row(["" if v is None else v for v in values]))
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()


def xlsx_bytes(table: Iterable[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Referrals"))
    for values in table:
        sheet.append(safe_row(values))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def referrals_export(
    *, user: Any, filters: ReferralFilters, file_format: str
) -> tuple[Iterable[bytes], str, str]:
    """(content, content type, file name) of the list the user sees with `filters`."""
    table = [headers()], rows(user=user, filters=filters)
    lines = (values for part in table for values in part)
    stamp = timezone.localdate().isoformat()
    filename = f"referrals-{stamp}.{file_format}"
    if file_format == "xlsx":
        return [xlsx_bytes(lines)], FORMATS["xlsx"], filename
    return in_readers_locale(csv_lines(lines)), FORMATS["csv"], filename


def in_readers_locale(stream: Iterator[bytes]) -> Iterator[bytes]:
    """A streamed response is written after the request's middleware has restored the default
    language and timezone: keep the reader's for the rows produced then."""
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def produce() -> Iterator[bytes]:
        with translation.override(language), timezone.override(zone):
            yield from stream

    return produce()
