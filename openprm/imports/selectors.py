"""Reads of imports: a user's own imports only; anyone else's is a 404."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.errors import NotFound, field_error
from openprm.imports import progress
from openprm.imports.kinds import KINDS, Kind, kinds_for
from openprm.imports.models import ImportJob


def importer_kinds(*, user: User) -> list[Kind]:
    kinds = kinds_for(user)
    if not kinds:
        raise NotFound()
    return kinds


def chosen_kind(user: User, value: str) -> Kind:
    kinds = importer_kinds(user=user)
    kind = KINDS.get(value)
    if kind is None or kind not in kinds:
        raise field_error(
            "kind",
            _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(k.value for k in kinds)},
            "invalid_choice",
        )
    return kind


def imports_for_user(*, user: User) -> QuerySet[ImportJob]:
    importer_kinds(user=user)
    return ImportJob.objects.filter(requested_by=user, organization=user.organization)


def import_get(*, user: User, import_id: int) -> ImportJob:
    job = imports_for_user(user=user).filter(pk=import_id).first()
    if job is None:
        raise NotFound()
    job.percent = progress.percent(job)
    return job
