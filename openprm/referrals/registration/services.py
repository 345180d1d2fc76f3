"""D8 and D10: registering a won referral. The review is the deals app's one registrations
queue (kind won_referral): approve, reject with a reason and ask for more information work
there exactly as for a shared deal's lead registration.
"""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.checks import FieldErrors, positive_amount, required_date, required_text
from openprm.core.errors import field_error
from openprm.deals.models import Registration, RegistrationKind
from openprm.deals.notes.uploads import checked_content_type
from openprm.deals.registrations.services import LINKS, registration_submit
from openprm.referrals.lifecycle.moves import perform, require_worker
from openprm.referrals.models import Referral, ReferralProgram, ReferralRegistration
from openprm.referrals.notifications import referral_link
from openprm.referrals.selectors import registration_refusal


def referral_page(registration: Registration) -> str:
    """Where the partner and the reviewer look at a won referral's registration."""
    referral = Referral.objects.filter(opportunity_id=registration.opportunity_id).first()
    return referral_link(referral) if referral is not None else ""


LINKS[RegistrationKind.WON_REFERRAL] = referral_page


def is_fast_win(referral: Referral, won_at: datetime.datetime) -> bool:
    hours = ReferralProgram.current().fast_win_hours
    return won_at - referral.created_at < datetime.timedelta(hours=hours)


@dataclass(frozen=True)
class Win:
    """What registering a won deal takes (D8), checked."""

    value_minor: int
    closed_on: datetime.date
    account_ids: str
    proof: UploadedFile[bytes]
    content_type: str


def attached(proof: UploadedFile[bytes] | None) -> UploadedFile[bytes]:
    if proof is None:
        raise field_error("proof", _("Attach the proof of the win."), "required")
    return proof


def checked_win(
    *,
    won_value_minor: int | None,
    closed_on: datetime.date | None,
    account_ids: str,
    proof: UploadedFile[bytes] | None,
) -> Win:
    errors = FieldErrors()
    value_minor = errors.check(positive_amount, "won_value", won_value_minor)
    closed_on = errors.check(required_date, "closed_on", closed_on)
    account_ids = errors.check(required_text, "account_ids", account_ids)
    proof = errors.check(attached, proof)
    content_type = ""
    if proof is not None:
        content_type = errors.check(checked_content_type, proof, field="proof")
    errors.raise_any()
    return Win(value_minor, closed_on, account_ids, proof, content_type)


def registration_submitted(locked: Referral, actor: User, win: Win) -> ReferralRegistration:
    """The won deal in the registrations queue, with what its reviewer checks."""
    refusal = registration_refusal(locked)
    if refusal is not None:
        raise refusal
    registration = registration_submit(
        opportunity=locked.opportunity, products=[], actor=actor, kind=RegistrationKind.WON_REFERRAL
    )
    details = ReferralRegistration(
        referral=locked,
        registration=registration,
        won_value_minor=win.value_minor,
        currency_id=locked.opportunity.currency_id,
        closed_on=win.closed_on,
        account_ids=win.account_ids,
        proof_name=(win.proof.name or "proof")[:200],
        proof_content_type=win.content_type,
        fast_win=is_fast_win(locked, locked.closed_at or timezone.now()),
    )
    details.proof.save(win.proof.name or "proof", win.proof, save=False)
    details.save()
    return details


@transaction.atomic
def referral_register(
    *,
    referral: Referral,
    actor: User,
    won_value_minor: int | None,
    closed_on: datetime.date | None,
    account_ids: str,
    proof: UploadedFile[bytes] | None,
    expected_version: int | None = None,
) -> ReferralRegistration:
    """After Won, for an eligible solution: won value, close date, the customer's vendor
    account or subscription ids and a proof file go to the registrations queue. A deal won
    less than 72 hours (configurable) after its creation is flagged to the reviewer."""
    require_worker(actor, referral)
    win = checked_win(
        won_value_minor=won_value_minor, closed_on=closed_on, account_ids=account_ids, proof=proof
    )
    created: list[ReferralRegistration] = []

    def register(locked: Referral) -> str:
        created.append(registration_submitted(locked, actor, win))
        return ""

    perform(
        referral=referral,
        action="registration",
        actor=actor,
        expected_version=expected_version,
        change=register,
    )
    return created[0]
