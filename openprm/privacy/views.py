"""Settings > Privacy requests: find what is held about a person, export it, erase it (with a
confirmation step), and the erasure log. The person is posted, never put in a URL, so the
address stays out of browser history and the server's access log."""

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
from openprm.core.errors import NotFound
from openprm.privacy import selectors, services
from openprm.privacy.export import export_response
from openprm.privacy.forms import ErasureForm, SubjectForm
from openprm.privacy.selectors import Holdings

PAGE_SIZE = 25


def handler(request: AuthenticatedRequest) -> Any:
    selectors.require_handler(request.user)
    return request.user


def found(user: Any, form: SubjectForm) -> tuple[Holdings | None, int]:
    """The person's records, or the form's errors and the status they answer with."""
    if not form.is_valid():
        return None, 422
    try:
        holdings = selectors.holdings_for(
            user=user, email=form.cleaned_data["email"], contact_id=form.cleaned_data["contact_id"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None, 422
    except NotFound:
        form.add_error("contact_id", _("You have no contact with this ID."))
        return None, 404
    return holdings, 200


def page_context(user: Any, form: SubjectForm, holdings: Holdings | None) -> dict[str, Any]:
    return {
        "section": "privacy",
        "can_manage_users": can_manage_users(user),
        "form": form,
        "holdings": holdings,
        "rows": selectors.record_rows(holdings) if holdings else [],
    }


def requests_page(
    request: HttpRequest, form: SubjectForm, holdings: Holdings | None = None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    context = {
        **page_context(user, form, holdings),
        "earlier": (
            selectors.earlier_erasures(user=user, subject=holdings.subject) if holdings else []
        ),
        "page": Paginator(selectors.erasures_for_user(user=user), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
    }
    return render(request, "privacy/requests.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def requests(request: AuthenticatedRequest) -> HttpResponse:
    user = handler(request)
    if request.method == "GET":
        return requests_page(request, SubjectForm())
    form = SubjectForm(request.POST)
    holdings, status = found(user, form)
    return requests_page(request, form, holdings, status)


@login_required
@require_POST
def export(request: AuthenticatedRequest) -> HttpResponse:
    user = handler(request)
    form = SubjectForm(request.POST)
    holdings, status = found(user, form)
    if holdings is None:
        return requests_page(request, form, status=status)
    return export_response(holdings)


@login_required
@require_POST
def erase(request: AuthenticatedRequest) -> HttpResponse:
    """Posted from the search's results it asks for confirmation; posted confirmed it erases."""
    user = handler(request)
    subject_form = SubjectForm(request.POST)
    holdings, status = found(user, subject_form)
    if holdings is None:
        return requests_page(request, subject_form, status=status)
    confirming = request.POST.get("step") == "confirm"
    form = ErasureForm(request.POST if confirming else None, initial=subject_form.cleaned_data)
    if confirming and form.is_valid():
        try:
            erasure = services.erasure_create(
                actor=user,
                email=form.cleaned_data["email"],
                contact_id=form.cleaned_data["contact_id"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Personal data erased. Contacts: %(contacts)s, referrals: %(referrals)s, "
                  "history copies: %(versions)s.")
                % {"contacts": erasure.contacts, "referrals": erasure.referrals,
                   "versions": erasure.contact_versions + erasure.referral_versions},
            )  # fmt: skip
            return redirect("privacy:requests")
    context = page_context(user, form, holdings)
    return render(request, "privacy/erase.html", context, status=422 if form.errors else 200)
