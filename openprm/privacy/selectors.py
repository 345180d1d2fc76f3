"""What is held about a person, found across the apps that hold customer contacts' data, and
the erasure log; always scoped to the requester (a partner admin its partner, the program admin
the installation; anyone else gets a 404)."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.core.errors import NotFound, field_error
from openprm.core.personal_data import Holding
from openprm.crm.personal_data import contact_emails, contact_holdings
from openprm.privacy.models import Erasure
from openprm.referrals.personal_data import referral_holdings


def can_handle_requests(user: User | AnonymousUser) -> bool:
    return bool(
        isinstance(user, User)
        and user.is_active
        and (user.is_partner_admin or user.is_program_admin)
    )


def require_handler(user: User) -> Organization:
    """The organization whose requests the user handles; anyone else finds nothing here."""
    organization = user.organization
    if organization is None or not can_handle_requests(user):
        raise NotFound()
    return organization


def subject_hash(email: str) -> str:
    """Keyed with the SECRET_KEY, so the log cannot be reversed by hashing guessed addresses
    without it (a new SECRET_KEY no longer matches earlier entries)."""
    if not email:
        return ""
    return salted_hmac("openprm.privacy.subject", email.lower(), algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class Subject:
    """The person a request names: by email, a contact, or both. `emails` adds every address
    the named contact holds or held, so the person is found in referrals too."""

    email: str
    contact_id: int | None
    emails: set[str]

    @property
    def hash(self) -> str:
        return subject_hash(self.email or min(self.emails, default=""))


def subject_for(*, user: User, email: str, contact_id: int | None) -> Subject:
    require_handler(user)
    email = (email or "").strip().lower()
    if not email and contact_id is None:
        raise field_error(
            "email", _("Give the person's email address or a contact id."), "required"
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise field_error("email", _("Enter a valid email address."), "invalid") from None
    emails = {email} if email else set()
    if contact_id is not None:
        emails |= contact_emails(user=user, contact_id=contact_id)
    return Subject(email=email, contact_id=contact_id, emails=emails)


@dataclass(frozen=True)
class Holdings:
    subject: Subject
    contacts: list[Holding]
    referrals: list[Holding]

    @property
    def is_empty(self) -> bool:
        return not self.contacts and not self.referrals


def holdings_for(*, user: User, email: str, contact_id: int | None = None) -> Holdings:
    return holdings_of(
        user=user, subject=subject_for(user=user, email=email, contact_id=contact_id)
    )


def holdings_of(*, user: User, subject: Subject) -> Holdings:
    return Holdings(
        subject=subject,
        contacts=contact_holdings(user=user, emails=subject.emails, contact_id=subject.contact_id),
        referrals=referral_holdings(user=user, emails=subject.emails),
    )


def erasures_for_user(*, user: User) -> QuerySet[Erasure]:
    require_handler(user)
    return Erasure.objects.for_user(user).select_related("organization", "erased_by")


def earlier_erasures(*, user: User, subject: Subject) -> QuerySet[Erasure]:
    """Erasures of the same address the user may see: a repeated request learns it was done."""
    if not subject.hash:
        return Erasure.objects.none()
    return erasures_for_user(user=user).filter(subject_hash=subject.hash)


def record_rows(holdings: Holdings) -> list[dict[str, Any]]:
    """One row per record holding the person's data, contacts and referrals alike."""
    rows = []
    for holding in holdings.contacts:
        latest = holding.current or holding.versions[-1]
        rows.append(
            {
                "kind": "contact",
                "id": holding.object_id,
                "partner_id": latest.organization_id,
                "partner_name": latest.organization.name,
                "deal_name": "",
                "name": f"{latest.first_name} {latest.last_name}".strip(),
                "email": latest.email,
                "phone": latest.phone,
                "versions": len(holding.versions),
                "deleted": holding.current is None,
                "erased_at": latest.erased_at,
            }
        )
    for holding in holdings.referrals:
        latest = holding.current or holding.versions[-1]
        rows.append(
            {
                "kind": "referral",
                "id": holding.object_id,
                "partner_id": latest.organization_id,
                "partner_name": latest.organization.name,
                "deal_name": holding.current.opportunity.name if holding.current else "",
                "name": latest.contact_name,
                "email": latest.contact_email,
                "phone": latest.contact_phone,
                "versions": len(holding.versions),
                "deleted": holding.current is None,
                "erased_at": latest.contact_erased_at,
            }
        )
    return rows
