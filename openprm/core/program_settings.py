"""What the writes of the program settings share, whichever app owns the setting: only the program
admin reads or changes them (anyone else gets a 403, as Program settings refuses them), and each
change is recorded for the audit log with the values before and after."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from openprm.core.errors import Forbidden, field_error
from openprm.core.events import record_event

ModelT = TypeVar("ModelT", bound=models.Model)


def require_program_admin(actor: Any, message: str | None = None) -> None:
    if not (getattr(actor, "is_active", False) and getattr(actor, "is_program_admin", False)):
        raise Forbidden(message or _("Only the program admin changes the program settings."))


def recordable(value: Any) -> Any:
    """A value as the event's JSON keeps it: amounts as text (no float rounding), dates in ISO
    form, a country by its code, a related row by its id."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [recordable(item) for item in value]
    if isinstance(value, str | int | float | bool | dict) or value is None:
        return value
    return str(value)


def record_setting_change(
    *,
    kind: str,
    obj: models.Model,
    actor: Any,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    organization: Any = None,
) -> None:
    """Records the fields that changed as [before, after]; None before for a new setting, None
    after for a removed one. A save that changed nothing records nothing. An organization's own
    setting names it, so that its admin reads the entry too."""
    old = {name: recordable(value) for name, value in (before or {}).items()}
    new = {name: recordable(value) for name, value in (after or {}).items()}
    changes = {
        name: [old.get(name), new.get(name)]
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    }
    if not changes:
        return
    data: dict[str, Any] = {"changes": changes}
    if before is not None and after is not None:
        data["fields"] = sorted(changes)
    record_event(kind=kind, obj=obj, actor=actor, organization=organization, data=data)


def values_of(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


def setting_update(
    *,
    actor: Any,
    obj: ModelT,
    changes: Mapping[str, Any],
    fields: tuple[str, ...],
    check: Callable[[ModelT], None],
    kind: str,
) -> ModelT:
    """Sets some of `fields` on the locked row, checks it as `check` does, saves it and records
    what changed; call it in the service's transaction, after its permission check."""
    unknown = set(changes) - set(fields)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be set."), "unknown_field")
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    before = values_of(locked, fields)
    for field, value in changes.items():
        setattr(locked, field, value)
    check(locked)
    locked.save()
    locked.refresh_from_db()  # the values as stored (a decimal with its places), not as given
    record_setting_change(
        kind=kind, obj=locked, actor=actor, before=before, after=values_of(locked, fields)
    )
    return locked


def setting_create(
    *, actor: Any, obj: ModelT, fields: tuple[str, ...], check: Callable[[ModelT], None], kind: str
) -> ModelT:
    """Checks the new row as `check` does, saves it and records its values; call it in the
    service's transaction, after its permission check."""
    check(obj)
    obj.save()
    obj.refresh_from_db()
    record_setting_change(
        kind=kind, obj=obj, actor=actor, before=None, after=values_of(obj, fields)
    )
    return obj


def setting_delete(*, actor: Any, obj: models.Model, fields: tuple[str, ...], kind: str) -> None:
    """Records the row's last values and removes it; call it in the service's transaction, on
    the locked row."""
    record_setting_change(
        kind=kind, obj=obj, actor=actor, before=values_of(obj, fields), after=None
    )
    obj.delete()


def program_row_update(
    *,
    actor: Any,
    model: type[ModelT],
    changes: Mapping[str, Any],
    fields: tuple[str, ...],
    check: Callable[[ModelT], None],
    kind: str,
) -> ModelT:
    """A change of a one-row setting (the shared-deal, referral or commission program, made by
    `model.current()` on first use), checked, saved and recorded as `setting_update` does; call
    it in the service's transaction."""
    require_program_admin(actor)
    current: ModelT = model.current()  # type: ignore[attr-defined]
    return setting_update(
        actor=actor, obj=current, changes=changes, fields=fields, check=check, kind=kind
    )
