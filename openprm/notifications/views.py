"""The inbox and the preferences page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.notifications import selectors, services
from openprm.notifications.forms import PreferencesForm

PAGE_SIZE = 25


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    queryset = selectors.inbox(user=request.user, unread=True if unread_only else None)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread_only},
    )


def back_to_inbox(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, notification_id=notification_id)
    services.notification_mark_read(notification=notification)
    return back_to_inbox(request)


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return back_to_inbox(request)


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    rows = selectors.preferences(user=request.user)
    form = PreferencesForm(rows, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, choices=form.choices())
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
