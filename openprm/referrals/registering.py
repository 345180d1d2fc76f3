"""D8 and D10: registering a won referral. The review is the deals app's one registrations
queue (kind won_referral): approve, reject with a reason and ask for more information work
there exactly as for a shared deal's lead registration.
"""

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.core.errors import Conflict, field_error
from openprm.deals.models import Registration, RegistrationKind
from openprm.deals.notes.uploads import checked_content_type
from openprm.deals.registrations.services import LINKS, registration_submit
from openprm.referrals.models import Referral, ReferralProgram, ReferralRegistration
from openprm.referrals.services import (
    errors_of,
    perform,
    positive_amount,
    raise_errors,
    referral_link,
    require_worker,
    required_date,
    required_text,
)


def referral_page(registration: Registration) -> str:
    """Where the partner and the reviewer look at a won referral's registration."""
    referral = Referral.objects.filter(opportunity_id=registration.opportunity_id).first()
    return referral_link(referral) if referral is not None else ""


LINKS[RegistrationKind.WON_REFERRAL] = referral_page


def is_registrable(referral: Referral) -> bool:
    """Registration eligibility is a property of the solution type (D10)."""
    return bool(referral.solution_type and referral.solution_type.registration_eligible)


def is_fast_win(referral: Referral, won_at: datetime.datetime) -> bool:
    hours = ReferralProgram.current().fast_win_hours
    return won_at - referral.created_at < datetime.timedelta(hours=hours)


@transaction.atomic
def referral_register(
    *,
    referral: Referral,
    actor: Any,
    won_value_minor: int | None,
    closed_on: datetime.date | None,
    account_ids: str,
    proof: UploadedFile | None,
    expected_version: int | None = None,
) -> ReferralRegistration:
    """After Won, for an eligible solution: won value, close date, the customer's vendor
    account or subscription ids and a proof file go to the registrations queue. A deal won
    less than 72 hours (configurable) after its creation is flagged to the reviewer."""
    require_worker(actor, referral)
    values: dict[str, Any] = {}
    errors = errors_of(
        lambda: values.update(value=positive_amount("won_value", won_value_minor)),
        lambda: values.update(closed_on=required_date("closed_on", closed_on)),
        lambda: values.update(account_ids=required_text("account_ids", account_ids)),
    )
    if proof is None:
        errors.setdefault("proof", []).extend(
            field_error("proof", _("Attach the proof of the win."), "required").error_dict["proof"]
        )
    else:
        errors.update(
            errors_of(
                lambda: values.update(content_type=checked_content_type(proof, field="proof"))
            )
        )
    raise_errors(errors)
    assert proof is not None
    created: list[ReferralRegistration] = []

    def register(locked: Referral) -> str:
        if not is_registrable(locked):
            raise Conflict(
                _("This deal's solution cannot be registered."),
                field="action",
                code="not_eligible",
            )
        if ReferralRegistration.objects.filter(referral=locked).exists():
            raise Conflict(
                _("This deal is registered already."), field="action", code="already_registered"
            )
        registration = registration_submit(
            opportunity=locked.opportunity,
            products=[],
            actor=actor,
            kind=RegistrationKind.WON_REFERRAL,
        )
        details = ReferralRegistration(
            referral=locked,
            registration=registration,
            won_value_minor=values["value"],
            currency_id=locked.opportunity.currency_id,
            closed_on=values["closed_on"],
            account_ids=values["account_ids"],
            proof_name=(proof.name or "proof")[:200],
            proof_content_type=values["content_type"],
            fast_win=is_fast_win(locked, locked.closed_at or timezone.now()),
        )
        details.proof.save(proof.name or "proof", proof, save=False)
        details.save()
        created.append(details)
        return ""

    perform(
        referral=referral,
        action="registration",
        actor=actor,
        expected_version=expected_version,
        change=register,
    )
    return created[0]
