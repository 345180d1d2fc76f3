"""The customer contact a referral carries (D2 step 2), for privacy requests (the privacy app
finds the person across apps and records the request): who may act on which referrals, what is
held, and the erasure of the contact's fields on the referral and on every history copy of it.
The referral, its opportunity and the consent record (who recorded the consent, and when) stay.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from openprm.core.personal_data import (
    Erased,
    Holding,
    any_email,
    erase,
    holdings_of,
    matching_ids,
    scoped_records,
)
from openprm.referrals.models import CONTACT_PERSONAL_FIELDS, Referral, contact_holds_personal_data

ERASED_VALUES = dict.fromkeys(CONTACT_PERSONAL_FIELDS, "")


def scoped(user: Any) -> tuple[QuerySet, QuerySet]:
    """A partner admin answers for the referrals its partner works or sent (the sender typed
    the contact in); the program admin for every referral, each shared with the vendor under
    the customer's consent."""
    return scoped_records(
        Referral, user, lambda partner: Q(organization=partner) | Q(sender_organization=partner)
    )


def referral_holdings(*, user: Any, emails: set[str]) -> list[Holding]:
    current, history = scoped(user)
    ids = matching_ids(current, history, any_email("contact_email", emails))
    return holdings_of(
        current.select_related(
            "organization", "sender_organization", "opportunity", "consent_recorded_by"
        ),
        history.select_related("organization", "sender_organization", "consent_recorded_by"),
        ids,
    )


@transaction.atomic
def referral_contact_erase(*, actor: Any, referral_ids: set[int]) -> Erased:
    current, history = scoped(actor)
    return erase(
        actor=actor,
        current=current,
        history=history,
        ids=referral_ids,
        holds_data=contact_holds_personal_data(),
        blanks=ERASED_VALUES,
        stamp="contact_erased_at",
        event="referral.contact_erased",
    )
