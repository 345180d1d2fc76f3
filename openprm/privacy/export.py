"""The person's data as one JSON document (GDPR art. 15, the right of access): every record
holding it with its personal fields, each history copy of them, and a referral's consent
record. The same file from the Settings page and the API."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone

from openprm.core.personal_data import Holding
from openprm.crm.models import CONTACT_PERSONAL_FIELDS
from openprm.privacy.selectors import Holdings
from openprm.referrals.models import CONTACT_PERSONAL_FIELDS as REFERRAL_CONTACT_FIELDS

CHANGES = {"+": "created", "~": "changed", "-": "deleted"}


def export_response(holdings: Holdings) -> HttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(
        json.dumps(export_document(holdings), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


def export_document(holdings: Holdings) -> dict[str, Any]:
    return {
        "exported_at": timezone.now(),
        "request": {"email": holdings.subject.email, "contact_id": holdings.subject.contact_id},
        "contacts": [contact_record(holding) for holding in holdings.contacts],
        "referrals": [referral_record(holding) for holding in holdings.referrals],
    }


def history(holding: Holding, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            "changed_at": version.history_date,
            "change": CHANGES.get(version.history_type, version.history_type),
            **{field: getattr(version, field) for field in fields},
        }
        for version in holding.versions
    ]


def partner(organization: Any) -> dict[str, Any] | None:
    return {"id": organization.pk, "name": organization.name} if organization else None


def contact_record(holding: Holding) -> dict[str, Any]:
    contact = holding.current
    latest = contact or holding.versions[-1]
    customer = contact.customer if contact else None
    return {
        "id": holding.object_id,
        "partner": partner(latest.organization),
        "customer": {"id": customer.pk, "name": customer.name} if customer else None,
        **{field: getattr(latest, field) for field in CONTACT_PERSONAL_FIELDS},
        "created_at": contact.created_at if contact else None,
        "updated_at": contact.updated_at if contact else None,
        "deleted": contact is None,
        "erased_at": latest.erased_at,
        "history": history(holding, CONTACT_PERSONAL_FIELDS),
    }


def referral_record(holding: Holding) -> dict[str, Any]:
    referral = holding.current
    latest = referral or holding.versions[-1]
    recorded_by = latest.consent_recorded_by
    return {
        "id": holding.object_id,
        "partner": partner(latest.organization),
        "sent_by_organization": partner(latest.sender_organization),
        "deal_name": referral.opportunity.name if referral else None,
        **{field: getattr(latest, field) for field in REFERRAL_CONTACT_FIELDS},
        "consent": {
            "given": latest.consent_recorded_at is not None,
            "recorded_by": {"id": recorded_by.pk, "full_name": recorded_by.full_name}
            if recorded_by
            else None,
            "recorded_at": latest.consent_recorded_at,
        },
        "deleted": referral is None,
        "contact_erased_at": latest.contact_erased_at,
        "history": history(holding, REFERRAL_CONTACT_FIELDS),
    }
