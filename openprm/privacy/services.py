"""Erasing a person's data on request (GDPR art. 17) across the apps that hold it, in one
transaction, and recording that it was done. Each app blanks its own fields; the business
records (contacts as rows, referrals, deals, opportunities, amounts) stay."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.events import record_event
from openprm.crm.personal_data import contact_personal_data_erase
from openprm.privacy.models import Erasure
from openprm.privacy.selectors import Subject, holdings_of, require_handler, subject_for
from openprm.referrals.personal_data import referral_contact_erase


def checked_request(
    *, actor: User, email: str, contact_id: int | None, reason: str
) -> tuple[Subject, str]:
    """Every field's error at once. The reason is where the request came from (a ticket, a
    letter); the record keeps no personal data, so the email may not be written into it."""
    require_handler(actor)
    errors: dict[str, list[ValidationError]] = {}
    subject: Subject | None = None
    try:
        subject = subject_for(user=actor, email=email, contact_id=contact_id)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [ValidationError(_("Say where the request came from."), "required")]
    elif subject and any(address in reason.lower() for address in subject.emails):
        errors["reason"] = [
            ValidationError(
                _("Leave the email address out: the erasure record keeps no personal data."),
                "personal_data",
            )
        ]
    if errors or subject is None:
        raise ValidationError(errors)
    return subject, reason


@transaction.atomic
def erasure_create(
    *, actor: User, email: str = "", contact_id: int | None = None, reason: str
) -> Erasure:
    subject, reason = checked_request(
        actor=actor, email=email, contact_id=contact_id, reason=reason
    )
    holdings = holdings_of(user=actor, subject=subject)
    contacts = contact_personal_data_erase(
        actor=actor, contact_ids={holding.object_id for holding in holdings.contacts}
    )
    referrals = referral_contact_erase(
        actor=actor, referral_ids={holding.object_id for holding in holdings.referrals}
    )
    erasure = Erasure.objects.create(
        organization=require_handler(actor),
        erased_by=actor,
        reason=reason,
        subject_hash=holdings.subject.hash,
        contacts=contacts.records,
        contact_versions=contacts.versions,
        referrals=referrals.records,
        referral_versions=referrals.versions,
    )
    record_event(
        kind="privacy.erased",
        obj=erasure,
        actor=actor,
        organization=actor.organization,
        data={
            "contacts": contacts.records,
            "contact_versions": contacts.versions,
            "referrals": referrals.records,
            "referral_versions": referrals.versions,
        },
    )
    return erasure
