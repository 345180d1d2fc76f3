"""A customer contact's personal data in the partners' contacts, for privacy requests (the
privacy app finds the person across apps and records the request): who may act on which
contacts, what is held, and the erasure of the person's fields on the contact and on every
history copy of it. The contact row itself stays, so shared deals keep their link."""

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from openprm.core.errors import NotFound
from openprm.core.personal_data import (
    Erased,
    Holding,
    any_email,
    erase,
    holdings_of,
    matching_ids,
    scoped_records,
)
from openprm.core.search import fold
from openprm.crm.models import (
    CONTACT_PERSONAL_FIELDS,
    ERASED_CONTACT_NAME,
    Contact,
    contact_holds_personal_data,
)

ERASED_VALUES = {
    **dict.fromkeys(CONTACT_PERSONAL_FIELDS, ""),
    "first_name": ERASED_CONTACT_NAME,
    "search_name": fold(ERASED_CONTACT_NAME),
}


def scoped(user: Any) -> tuple[QuerySet, QuerySet]:
    """A partner admin answers for its partner's contacts."""
    return scoped_records(Contact, user, lambda partner: Q(organization=partner))


def contact_emails(*, user: Any, contact_id: int) -> set[str]:
    """The emails a contact holds or held, so a request named by the contact also finds the
    person elsewhere; a contact the user does not answer for is a 404, like a missing one."""
    current, history = scoped(user)
    if not matching_ids(current, history, Q(id=contact_id)):
        raise NotFound()
    emails = set(current.filter(id=contact_id).values_list("email", flat=True))
    emails |= set(history.filter(id=contact_id).values_list("email", flat=True))
    return {email.lower() for email in emails if email}


def contact_holdings(
    *, user: Any, emails: set[str], contact_id: int | None = None
) -> list[Holding]:
    current, history = scoped(user)
    ids = matching_ids(current, history, any_email("email", emails))
    if contact_id is not None:
        ids |= matching_ids(current, history, Q(id=contact_id))
    return holdings_of(
        current.select_related("organization", "customer"),
        history.select_related("organization"),
        ids,
    )


@transaction.atomic
def contact_personal_data_erase(*, actor: Any, contact_ids: set[int]) -> Erased:
    current, history = scoped(actor)
    return erase(
        actor=actor,
        current=current,
        history=history,
        ids=contact_ids,
        holds_data=contact_holds_personal_data(),
        blanks=ERASED_VALUES,
        stamp="erased_at",
        event="contact.erased",
    )
