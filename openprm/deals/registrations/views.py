"""The vendor's registrations queue, the reviewer's decisions on it, and the partner's answer
and extension request from the deal page. Other organizations' registrations are 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.errors import AppError, Conflict, NotFound
from openprm.deals.models import Registration
from openprm.deals.pages import PAGE_SIZE, user_of
from openprm.deals.registrations import selectors, services
from openprm.deals.registrations.forms import (
    AnswerForm,
    DecisionForm,
    ExtensionForm,
    QueueFilterForm,
)


@login_required
def registration_queue(request: AuthenticatedRequest) -> HttpResponse:
    """R: the vendor's one queue for both kinds of registration."""
    user = user_of(request)
    if not selectors.is_reviewer(user):
        raise NotFound()
    form = QueueFilterForm(request.GET or None)
    status, sort = form.filters() if form.is_bound and form.is_valid() else ("pending", "oldest")
    listed = selectors.registrations_for_user(user=user, status=status, sort=sort)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    holders = selectors.conflict_holders_by_registration(registrations=list(page))
    rows = [(registration, holders.get(registration.pk, [])) for registration in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "form": form,
        "pending": status == "pending",
        "query": query.urlencode(),
    }
    return render(request, "deals/registrations.html", context)


@login_required
@require_POST
def registration_decide(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    user = user_of(request)
    if not selectors.is_reviewer(user):
        raise NotFound()
    registration = selectors.registration_get(user=user, registration_id=registration_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.registration_queue_decide(
                registration=registration,
                actor=user,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        except AppError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("deals:registrations")


@login_required
@require_POST
def registration_answer(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    """The partner answers "more information requested" and resubmits."""
    user = user_of(request)
    registration = selectors.registration_get(user=user, registration_id=registration_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.registration_resubmit(
                registration=registration, actor=user, answer=form.cleaned_data["answer"]
            )
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Registration resubmitted."))
    return back_to(registration)


def back_to(registration: Registration) -> HttpResponse:
    """The page of what is registered: the shared deal, or a won referral (its own app's)."""
    link = services.registration_link(registration)
    if not link:
        raise NotFound()
    return redirect(link)


@login_required
@require_POST
def registration_extension(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    """C9: the partner asks for more time before the exclusivity period ends."""
    user = user_of(request)
    registration = selectors.registration_get(user=user, registration_id=registration_id)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.extension_request(
                registration=registration, actor=user, reason=form.cleaned_data["reason"]
            )
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Extension requested."))
    return back_to(registration)
