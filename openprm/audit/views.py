"""Settings > Audit log (A4): who changed what and when, before and after, with a link to the
object. The program admin reads every partner's entries, a partner admin its own; anyone else
gets a 404."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import render

from openprm.accounts.http import AuthenticatedRequest
from openprm.accounts.services import can_manage_users
from openprm.audit import selectors
from openprm.audit.entries import EntryPages, label_of
from openprm.audit.forms import AuditFilterForm
from openprm.core.forms import add_errors

PAGE_SIZE = 50


@login_required
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    user: Any = request.user
    choices = selectors.audit_choices(user=user)
    form = AuditFilterForm(
        request.GET or None,
        object_types=[(name, f"{label_of(name)} ({name})") for name in choices.object_types],
        actors=choices.actors,
    )
    page: Page | None = None
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else selectors.AuditFilters()
        try:
            events = selectors.audit_entries(user=user, filters=filters)
        except ValidationError as exc:
            add_errors(form, exc, {"since": "start", "until": "end"})
        else:
            entries: Any = EntryPages(events)
            page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "section": "audit",
        "can_manage_users": can_manage_users(user),
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "audit/log.html", context)
