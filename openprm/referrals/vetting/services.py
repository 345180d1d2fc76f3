"""Writes of the partners the vendor vetted for solution assessments (D1: only they create
them), for Program settings and the API alike: the program admin vets a partner, changes the
day or the note, and withdraws the vetting; each change recorded with the values before and
after. A withdrawn vetting stops new assessments; the partner's assessments stay."""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.core.checks import FieldErrors, required_date
from openprm.core.program_settings import (
    require_program_admin,
    setting_create,
    setting_delete,
    setting_update,
)
from openprm.referrals.models import AssessmentVetting

FIELDS = ("organization_id", "vetted_on", "note")
NOTE_LENGTH = 200


def checked_vetting(vetting: AssessmentVetting) -> None:
    """An active partner vetted once, on a day, with a short note."""
    errors = FieldErrors()
    partner_id = vetting.organization_id
    if partner_id is None or not Organization.objects.partners().filter(pk=partner_id).exists():
        errors.add("partner_id", _("Choose a partner."), "invalid_choice")
    elif (
        AssessmentVetting.objects.exclude(pk=vetting.pk).filter(organization_id=partner_id).exists()
    ):
        errors.add("partner_id", _("This partner is vetted already."), "unique")
    errors.check(required_date, "vetted_on", vetting.vetted_on)
    vetting.note = (vetting.note or "").strip()
    if len(vetting.note) > NOTE_LENGTH:
        errors.add("note", _("Use at most 200 characters."), "max_length")
    errors.raise_any()


@transaction.atomic
def vetting_create(
    *, actor: User, organization_id: int, vetted_on: datetime.date, note: str = ""
) -> AssessmentVetting:
    require_program_admin(actor)
    vetting = AssessmentVetting(organization_id=organization_id, vetted_on=vetted_on, note=note)
    return setting_create(
        actor=actor, obj=vetting, fields=FIELDS, check=checked_vetting, kind="vetting.created"
    )


@transaction.atomic
def vetting_update(*, actor: User, vetting: AssessmentVetting, **changes: Any) -> AssessmentVetting:
    require_program_admin(actor)
    return setting_update(
        actor=actor, obj=vetting, changes=changes, fields=FIELDS, check=checked_vetting,
        kind="vetting.updated",
    )  # fmt: skip


@transaction.atomic
def vetting_delete(*, actor: User, vetting: AssessmentVetting) -> None:
    require_program_admin(actor)
    locked = AssessmentVetting.objects.select_for_update().get(pk=vetting.pk)
    setting_delete(actor=actor, obj=locked, fields=FIELDS, kind="vetting.deleted")
