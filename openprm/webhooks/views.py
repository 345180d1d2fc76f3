"""Settings > Webhooks: an organization's subscriptions, each with its delivery log, a test
ping and "Redeliver". Partner admins and the program admin; anyone else gets a 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.accounts.services import can_manage_users
from openprm.core.errors import Conflict, PreconditionFailed
from openprm.webhooks import selectors, services
from openprm.webhooks.forms import WebhookForm
from openprm.webhooks.models import Webhook

PAGE_SIZE = 25


def manager(request: AuthenticatedRequest) -> Any:
    services.require_manager(request.user)
    return request.user


def page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    user: Any = request.user
    context = {"section": "webhooks", "can_manage_users": can_manage_users(user), **context}
    return render(request, template, context, status=status)


def detail_page(
    request: HttpRequest, webhook: Webhook, secret: str | None = None, status: int = 200
) -> HttpResponse:
    deliveries = Paginator(selectors.deliveries_of(webhook=webhook), PAGE_SIZE)
    return page(
        request,
        "webhooks/detail.html",
        status,
        webhook=webhook,
        secret=secret,
        page=deliveries.get_page(request.GET.get("page")),
    )


@login_required
def webhook_list(request: AuthenticatedRequest) -> HttpResponse:
    user = manager(request)
    return page(request, "webhooks/list.html", webhooks=selectors.webhooks_for_user(user=user))


@login_required
@require_http_methods(["GET", "POST"])
def webhook_create(request: AuthenticatedRequest) -> HttpResponse:
    """The secret is rendered in the answer to the create, and never again."""
    user = manager(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook, secret = services.webhook_create(
                actor=user,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Webhook created."))
            return detail_page(request, webhook, secret=secret)
    status = 422 if form.errors else 200
    return page(request, "webhooks/form.html", status, form=form, webhook=None)


@login_required
def webhook_detail(request: AuthenticatedRequest, webhook_id: int) -> HttpResponse:
    user = manager(request)
    return detail_page(request, selectors.webhook_get(user=user, webhook_id=webhook_id))


@login_required
@require_http_methods(["GET", "POST"])
def webhook_edit(request: AuthenticatedRequest, webhook_id: int) -> HttpResponse:
    user = manager(request)
    webhook = selectors.webhook_get(user=user, webhook_id=webhook_id)
    initial = {
        "url": webhook.url,
        "description": webhook.description,
        "event_types": webhook.event_types,
        "is_active": webhook.is_active,
        "version": webhook.version,
    }
    form = WebhookForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.webhook_update(
                actor=user,
                webhook=webhook,
                expected_version=data["version"],
                url=data["url"],
                event_types=data["event_types"],
                description=data["description"],
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PreconditionFailed:
            form.add_error(None, _("Someone changed this webhook since you opened it; reload."))
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("webhooks:detail", webhook_id=webhook.pk)
    status = 422 if form.errors else 200
    return page(request, "webhooks/form.html", status, form=form, webhook=webhook)


@login_required
@require_POST
def webhook_delete(request: AuthenticatedRequest, webhook_id: int) -> HttpResponse:
    user = manager(request)
    webhook = selectors.webhook_get(user=user, webhook_id=webhook_id)
    services.webhook_delete(actor=user, webhook=webhook)
    messages.success(request, _("Webhook deleted."))
    return redirect("webhooks:list")


@login_required
@require_POST
def webhook_ping(request: AuthenticatedRequest, webhook_id: int) -> HttpResponse:
    user = manager(request)
    webhook = selectors.webhook_get(user=user, webhook_id=webhook_id)
    services.webhook_ping(actor=user, webhook=webhook)
    messages.success(request, _("Test ping queued: its result appears below in a moment."))
    return redirect("webhooks:detail", webhook_id=webhook.pk)


@login_required
@require_POST
def delivery_redeliver(request: AuthenticatedRequest, delivery_id: int) -> HttpResponse:
    user = manager(request)
    delivery = selectors.delivery_get(user=user, delivery_id=delivery_id)
    try:
        services.delivery_redeliver(actor=user, delivery=delivery)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Redelivery queued."))
    return redirect("webhooks:detail", webhook_id=delivery.webhook_id)
