"""The lines of a deal's History tab, for the deals templates."""

import datetime
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openprm.core.formatting import format_date, format_minor

register = template.Library()


HISTORY_TITLES = {
    "deal.created": gettext_lazy("Shared deal created"),
    "deal.converted": gettext_lazy("Converted to shared deal"),
    "deal.updated": gettext_lazy("Details changed"),
    "deal.product_changed": gettext_lazy("Product changed"),
    "deal.stage_changed": gettext_lazy("Stage changed"),
    "registration.submitted": gettext_lazy("Registration submitted"),
    "registration.approved": gettext_lazy("Registration approved"),
    "registration.rejected": gettext_lazy("Registration rejected"),
    "registration.more_info_requested": gettext_lazy("More information requested"),
    "registration.resubmitted": gettext_lazy("Registration resubmitted"),
    "registration.expired": gettext_lazy("Registration expired"),
    "registration.extension_requested": gettext_lazy("Extension requested"),
    "registration.extension_granted": gettext_lazy("Extension granted"),
    "registration.extension_refused": gettext_lazy("Extension refused"),
}

FIELD_LABELS = {
    "name": gettext_lazy("Deal name"),
    "amount_minor": gettext_lazy("Amount"),
    "mrr_minor": gettext_lazy("MRR"),
    "close_date": gettext_lazy("Close date"),
    "compensation_eligible": gettext_lazy("Partner compensation eligibility"),
    "vendor_crm_id": gettext_lazy("Vendor CRM ID"),
    "partner_crm_id": gettext_lazy("Partner CRM ID"),
}


@register.simple_tag
def history_title(event: Any) -> str:
    return str(HISTORY_TITLES.get(event.kind, event.kind))


def shown(field: str, value: Any, currency: str) -> str:
    if field.endswith("_minor"):
        return format_minor(value, currency)
    if field == "close_date":
        return format_date(datetime.date.fromisoformat(value))
    if field == "compensation_eligible":
        return _("Eligible") if value else _("Not eligible")
    return str(value) or "—"


@register.simple_tag
def history_details(event: Any, deal: Any) -> list[str]:
    """What changed, from what to what, in the reader's language and number format."""
    data = event.data or {}
    currency = deal.opportunity.currency_id
    if event.kind == "deal.updated":
        return [
            f"{FIELD_LABELS.get(field, field)}: {shown(field, before, currency)} → "
            f"{shown(field, after, currency)}"
            for field, (before, after) in sorted(data.get("changes", {}).items())
        ]
    if event.kind in ("deal.product_changed", "deal.stage_changed"):
        before, after = data.get("from", ""), data.get("to", "")
        if isinstance(before, list):
            before, after = ", ".join(before), ", ".join(after)
        return [f"{before} → {after}"]
    reason = data.get("reason") or ""
    return [reason] if reason else []
