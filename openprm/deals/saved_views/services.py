"""C7: saved deal views. A view keeps the deal list's filters under a name, including the
"Number of active deal registrations" filter, so a partner tracks its registered deals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.core.events import record_event
from openprm.crm.models import OpportunityState
from openprm.deals.models import DealView

MAX_ACTIVE_REGISTRATIONS = 1000


def filter_errors(
    *, state: str, min_active_registrations: int | None
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if state and state not in OpportunityState.values:
        errors["state"] = [ValidationError(_("Choose open, won or lost."), code="invalid")]
    if min_active_registrations is not None and not (
        0 <= min_active_registrations <= MAX_ACTIVE_REGISTRATIONS
    ):
        errors["min_active_registrations"] = [
            ValidationError(_("Give a number from 0 to 1000."), code="invalid")
        ]
    return errors


@transaction.atomic
def deal_view_create(
    *, actor: User, name: str, state: str = "", min_active_registrations: int | None = None
) -> DealView:
    """Saves the current filters under a name of the actor's own; a name is used once."""
    name = (name or "").strip()
    errors = filter_errors(state=state, min_active_registrations=min_active_registrations)
    if not name:
        errors["name"] = [ValidationError(_("Name the view."), code="required")]
    elif DealView.objects.filter(user=actor, name__iexact=name).exists():
        errors["name"] = [
            ValidationError(_("You already have a view with this name."), code="duplicate")
        ]
    if errors:
        raise ValidationError(errors)
    view = DealView(
        user=actor, name=name, state=state, min_active_registrations=min_active_registrations
    )
    view.full_clean()
    view.save()
    record_event(
        kind="deal_view.created",
        obj=view,
        actor=actor,
        organization=actor.organization,
        data={"state": state, "min_active_registrations": min_active_registrations},
    )
    return view


@transaction.atomic
def deal_view_delete(*, view: DealView, actor: User) -> None:
    if view.user_id != actor.pk:
        raise NotFound()
    record_event(
        kind="deal_view.deleted",
        obj=view,
        actor=actor,
        organization=actor.organization,
        data={"name": view.name},
    )
    view.delete()
