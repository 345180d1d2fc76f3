"""C7: "Save view" on the deal list, and deleting a saved view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.deals.pages import list_filters, list_url, user_of
from openprm.deals.saved_views import selectors, services


@login_required
@require_POST
def view_save(request: AuthenticatedRequest) -> HttpResponse:
    """ "Save view": the list's current filters under a name (C7)."""
    user = user_of(request)
    state, minimum = list_filters(request.POST)
    try:
        view = services.deal_view_create(
            actor=user,
            name=request.POST.get("name", ""),
            state=state,
            min_active_registrations=minimum,
        )
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
        query = urlencode(
            {k: v for k, v in {"state": state, "active_registrations": minimum}.items() if v}
        )
        return redirect(f"{list_url(user)}?{query}")
    messages.success(request, _("View saved."))
    return redirect(f"{list_url(user)}?view={view.pk}")


@login_required
@require_POST
def view_delete(request: AuthenticatedRequest, view_id: int) -> HttpResponse:
    user = user_of(request)
    view = selectors.deal_view_get(user=user, view_id=view_id)
    services.deal_view_delete(view=view, actor=user)
    messages.success(request, _("View deleted."))
    return redirect(list_url(user))
