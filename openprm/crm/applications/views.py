"""The public "Apply to become a partner" page and the program admin's application pages."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from openprm.accounts.api_auth import MemberRequest
from openprm.core.errors import Conflict
from openprm.core.forms import add_errors
from openprm.crm.applications import selectors, services
from openprm.crm.applications.forms import (
    ApplicationForm,
    ApprovalForm,
    RejectionForm,
    StatusFilterForm,
)
from openprm.crm.applications.throttling import ApplicationRateThrottle
from openprm.crm.partners.selectors import partner_choices
from openprm.crm.partners.views import LOCATION_FIELDS
from openprm.crm.views import paginate, query_without_page

THROTTLE = ApplicationRateThrottle()


def over_the_limit(request: HttpRequest, form: ApplicationForm) -> bool:
    """Every attempt from one address counts, valid or not, so guessing costs the same."""
    if THROTTLE.allow_request(request):
        return False
    minutes = math.ceil((THROTTLE.wait() or 60) / 60)
    form.add_error(
        None,
        _("Too many applications from your address; try again in %(minutes)s minutes.")
        % {"minutes": minutes},
    )
    return True


def partner_apply(request: HttpRequest) -> HttpResponse:
    """Public: a company applies to join the program; no account needed."""
    form = ApplicationForm(request.POST or None)
    throttled = request.method == "POST" and over_the_limit(request, form)
    if request.method == "POST" and not throttled and form.is_valid():
        try:
            services.application_submit(data=form.application(), language=get_language())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("crm:partner-apply-sent")
    status = 429 if throttled else 200
    return render(request, "crm/applications/apply.html", {"form": form}, status=status)


def partner_apply_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "crm/applications/apply_sent.html")


@login_required
def application_list(request: MemberRequest) -> HttpResponse:
    form = StatusFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    applications = selectors.applications_for_user(user=request.user, status=status)
    context = {
        "form": form,
        "page": paginate(request, applications),
        "query": query_without_page(request),
    }
    return render(request, "crm/applications/application_list.html", context)


@login_required
def application_detail(request: MemberRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, application_id=application_id)
    return render(request, "crm/applications/application_detail.html", {"application": application})


def already_decided(request: HttpRequest, exc: Conflict, application_id: int) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("crm:partner-application-detail", application_id=application_id)


@login_required
def application_approve(request: MemberRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, application_id=application_id)
    form = ApprovalForm(
        request.POST or None,
        choices=partner_choices(user=request.user),
        initial={"location_country": str(application.country)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_approve(
                actor=request.user, application_id=application_id, data=form.approval()
            )
        except ValidationError as exc:
            add_errors(form, exc, LOCATION_FIELDS)
        except Conflict as exc:
            return already_decided(request, exc, application_id)
        else:
            messages.success(
                request,
                _("%(company)s is a partner now; its admin invitation went to %(email)s.")
                % {"company": application.company_name, "email": application.contact_email},
            )
            return redirect("crm:partner-application-detail", application_id=application_id)
    context = {"form": form, "application": application}
    return render(request, "crm/applications/approve_form.html", context)


@login_required
def application_reject(request: MemberRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, application_id=application_id)
    form = RejectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_reject(
                actor=request.user,
                application_id=application_id,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except Conflict as exc:
            return already_decided(request, exc, application_id)
        else:
            messages.success(request, _("The application is rejected; the applicant is told why."))
            return redirect("crm:partner-application-detail", application_id=application_id)
    context = {"form": form, "application": application}
    return render(request, "crm/applications/reject_form.html", context)
