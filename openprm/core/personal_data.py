"""What the apps that hold a customer contact's personal data share, so the privacy app can find,
export and erase it across them: an email matched in any case, and one record as its current
row together with its django-simple-history copies (which hold the same data)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from openprm.core.errors import NotFound
from openprm.core.events import record_event


@dataclass(frozen=True)
class Holding:
    """One record holding the person's data; `current` is None once the row was deleted and
    only its history copies remain. Versions are oldest first."""

    object_id: int
    current: Any
    versions: list[Any]


@dataclass(frozen=True)
class Erased:
    """How many records an erasure changed, and how many of their history copies."""

    records: int
    versions: int


def scoped_records(
    model: Any, user: Any, partners_own: Callable[[Any], Q]
) -> tuple[QuerySet, QuerySet]:
    """The rows and history copies a user answers for in privacy requests: a partner admin
    its partner's (`partners_own` says which), the program admin, who runs the installation,
    every partner's; anyone else gets a 404."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotFound()
    if user.is_program_admin:
        scope = Q()
    elif user.is_partner_admin:
        scope = partners_own(user.organization)
    else:
        raise NotFound()
    return model._default_manager.filter(scope), model.history.filter(scope)


def any_email(field: str, emails: set[str]) -> Q:
    """No email matches nothing."""
    return reduce(or_, (Q(**{f"{field}__iexact": email}) for email in emails), Q(pk__in=[]))


def matching_ids(current: QuerySet, history: QuerySet, condition: Q) -> set[int]:
    """Records whose current row or any history copy matches: a changed or deleted record's
    copies still hold what it once did."""
    return set(current.filter(condition).values_list("pk", flat=True)) | set(
        history.filter(condition).values_list("id", flat=True)
    )


def holdings_of(current: QuerySet, history: QuerySet, ids: set[int]) -> list[Holding]:
    rows = {row.pk: row for row in current.filter(pk__in=ids)}
    versions: dict[int, list[Any]] = defaultdict(list)
    for version in history.filter(id__in=ids).order_by("history_date", "history_id"):
        versions[version.id].append(version)
    return [
        Holding(object_id=pk, current=rows.get(pk), versions=versions[pk])
        for pk in sorted(ids)
        if pk in rows or versions[pk]
    ]


def erase(
    *,
    actor: Any,
    current: QuerySet,
    history: QuerySet,
    ids: set[int],
    holds_data: Q,
    blanks: dict[str, str],
    stamp: str,
    event: str,
) -> Erased:
    """Blanks the fields on the records' current rows (stamped with the time, saved as a new
    history copy) and on every earlier history copy. Rows already blank are left alone, so
    erasing twice changes nothing. Call inside atomic(), with querysets already scoped to
    what the actor answers for."""
    rows = list(current.select_for_update().filter(holds_data, pk__in=ids))
    copies = history.filter(holds_data, id__in=ids)
    changed = set(copies.values_list("id", flat=True)) | {row.pk for row in rows}
    versions = copies.update(**blanks)
    now = timezone.now()
    for row in rows:
        for field, value in blanks.items():
            setattr(row, field, value)
        setattr(row, stamp, now)
        row.bump_version()
        row._history_user = actor
        row._change_reason = "personal data erased"
        row.save()
        record_event(kind=event, obj=row, actor=actor, organization=row.organization)
    return Erased(records=len(changed), versions=versions)
