"""What a new referral's input is checked for, sending (D1) or creating (D2) it: the customer,
its contact with the consent to share it, the currency, and a location of the partner's own.
Each check returns the cleaned value or raises a field error (openprm.core.checks).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from openprm.accounts.models import Location, Organization
from openprm.core.checks import FieldErrors, unique_external_id, valid_email
from openprm.core.errors import field_error
from openprm.crm.models import Currency, Customer
from openprm.crm.services import known_currency
from openprm.referrals.models import REFERRAL_EXTERNAL_ID_FIELDS, Referral


def external_ids(referral: Referral, data: dict[str, Any], errors: FieldErrors) -> dict[str, str]:
    """D9: the CRM ids given in `data`, trimmed, each naming no other referral of the partner;
    a taken one is an error on its field."""
    others = Referral.objects.filter(organization_id=referral.organization_id).exclude(
        pk=referral.pk
    )
    return {
        field: errors.check(unique_external_id, field, data[field], others)
        for field in REFERRAL_EXTERNAL_ID_FIELDS
        if field in data
    }


def partner_location(
    partner: Organization,
    value: Location | int | None,
    *,
    field: str,
    countries: list[str] | None = None,
) -> Location:
    """One of the partner's own locations, in `countries` when given (a partner user's location
    scope); anything else is an error on `field`."""
    if value is None or value == "":
        raise field_error(field, _("Choose one of your locations."), "required")
    pk = value.pk if isinstance(value, Location) else value
    location = Location.objects.filter(pk=pk, organization=partner).first()
    if location is None:
        raise field_error(field, _("Choose one of the partner's own locations."), "not_own")
    if countries is not None and location.country not in countries:
        raise field_error(field, _("Choose a location in your location scope."), "out_of_scope")
    return location


def known(currency: Currency | str) -> Currency:
    return currency if isinstance(currency, Currency) else known_currency(currency)


def chosen_customer(customer: Customer | None) -> Customer:
    if customer is None:
        raise field_error("customer", _("Choose the customer."), "required")
    return customer


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""

    @property
    def given(self) -> bool:
        return bool(self.name or self.phone or self.email)

    def referral_fields(self, actor: Any, now: datetime.datetime) -> dict[str, Any]:
        """The contact as a referral stores it, with the consent recorded when one is given."""
        return {
            "contact_name": self.name,
            "contact_phone": self.phone,
            "contact_email": self.email,
            "consent_recorded_by": actor if self.given else None,
            "consent_recorded_at": now if self.given else None,
        }


def checked_contact(contact: Contact, *, required: bool, consent: bool) -> Contact:
    """D2 step 2: all three when required; giving any of it needs the customer's consent."""
    contact = Contact(contact.name.strip(), contact.phone.strip(), contact.email.strip().lower())
    errors = FieldErrors()
    if required or contact.given:
        for field, value in (
            ("contact_name", contact.name),
            ("contact_phone", contact.phone),
            ("contact_email", contact.email),
        ):
            if not value:
                errors.add(field, _("This field is required."), "required")
    if contact.email:
        errors.check(valid_email, "contact_email", contact.email)
    if contact.given and not consent:
        errors.add(
            "consent",
            _("Record the customer's consent to share the contact with the vendor."),
            "required",
        )
    errors.raise_any()
    return contact
