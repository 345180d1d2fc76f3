"""What the referral pages share: a service's field errors on the form they belong to, the
referral an action may be taken on (404 otherwise), an action's form page, and the customer
suggestions of "Send referral" and the wizard.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openprm.core.errors import AppError, NotFound, PreconditionFailed
from openprm.crm import selectors as crm_selectors
from openprm.referrals import selectors
from openprm.referrals.models import Referral

# What the services call a field, where the form calls it by its label's meaning.
FIELD_ALIASES = {
    "amount": "value",
    "amount_minor": "value",
    "lost_reason": "reason",
    "won_value": "won_value",
}


def user_of(request: HttpRequest) -> Any:
    return request.user


def add_errors(form: Any, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Service errors land on the field they name, or above the form."""
    aliases = {**FIELD_ALIASES, **(aliases or {})}
    for field, errors in exc.message_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def run_action(
    request: HttpRequest,
    form: Any,
    perform: Callable[[dict[str, Any]], Any],
    aliases: dict[str, str] | None = None,
) -> bool:
    """Runs the service with the form's data; its errors land on the form. True when done."""
    try:
        perform(form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc, aliases)
    except PreconditionFailed:
        form.add_error(None, _("Someone changed this referral since you opened it; reload."))
    except AppError as exc:
        form.add_error(None, exc.message)
    else:
        return True
    return False


def referral_for_action(request: HttpRequest, referral_id: int, action: str) -> Referral:
    """The referral, when the user may take `action` on it now; otherwise it is not there."""
    user = user_of(request)
    referral = selectors.referral_get(user=user, referral_id=referral_id)
    if action not in selectors.actions_for(referral=referral, user=user):
        raise NotFound()
    return referral


def form_page(
    request: HttpRequest,
    referral: Referral,
    form: Any,
    perform: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    success: str,
    aliases: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """An action's page: the form; a valid POST runs the service, then back to the referral."""
    extra = extra or {}
    posted = request.method == "POST" and form.is_valid()
    others_valid = all(f.is_valid() for f in extra.values() if hasattr(f, "is_valid"))
    if posted and others_valid and run_action(request, form, perform, aliases):
        messages.success(request, success)
        return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, template, {"referral": referral, "form": form, **extra})


def report_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def suggestions_context(user: Any, values: Any) -> dict[str, Any]:
    """The suggestions for the searched values, with the customer already chosen among them."""
    suggestions = selectors.customer_suggestions(
        user=user,
        country=values.get("country", ""),
        q=values.get("q", ""),
        duns=values.get("duns", ""),
    )
    selected = str(values.get("customer", ""))
    if selected.isdigit() and all(str(c.pk) != selected for c in suggestions):
        chosen = crm_selectors.customer_search(user=user).filter(pk=int(selected)).first()
        if chosen is not None:
            suggestions.insert(0, chosen)
    return {"suggestions": suggestions, "selected": selected}
