"""The "New deal" wizard's pages (D2): Customer, Customer contact, Deal details, Team,
Solution, and the agree box with "Create deal".

One step a request; nothing is saved before "Create deal", which binds every step again
(creation/wizard.py keeps them) and makes one call to the creation service. A customer the
directory lacks is added together with the deal, in one transaction.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.errors import AppError, NotFound
from openprm.core.money import to_minor
from openprm.referrals import selectors
from openprm.referrals.checks import Contact
from openprm.referrals.creation.forms import AgreeStepForm
from openprm.referrals.creation.services import Details, referral_create
from openprm.referrals.creation.wizard import (
    NEW_CUSTOMER,
    STEP_OF_FIELD,
    Wizard,
    add_step_errors,
    team_members,
)
from openprm.referrals.forms import DEAL_TYPES
from openprm.referrals.models import TEAM_FIELDS, Referral
from openprm.referrals.pages import suggestions_context
from openprm.referrals.team.selectors import recent_team_contacts


def require_partner(request: HttpRequest) -> Any:
    user: Any = request.user
    if not selectors.can_create(user):
        raise NotFound()
    return user


@login_required
@require_http_methods(["GET", "POST"])
def new_deal(request: AuthenticatedRequest) -> HttpResponse:
    """ "New deal": one step per request; "Next" keeps the step's input and moves on."""
    require_partner(request)
    wizard = Wizard(request)
    names = [s.name for s in wizard.steps()]
    step = request.POST.get("step") or request.GET.get("step") or "customer"
    if step not in names:
        step = "customer"
    if request.method == "GET" and request.GET.get("restart"):
        wizard.clear()
        return redirect("referrals:create")
    incomplete = wizard.first_incomplete()
    if incomplete is not None and names.index(incomplete) < names.index(step):
        return redirect(f"{reverse('referrals:create')}?step={incomplete}")
    if request.method == "GET":
        return render_step(request, wizard, step, wizard.form(step))
    if step == "review":
        return create(request, wizard)
    form = wizard.form(step, request.POST)
    if step == "customer" and "search" in request.POST:
        return render_step(request, wizard, step, form)
    if step == "team" and "quick_add" in request.POST:
        return render_step(request, wizard, step, quick_added(request, wizard, form))
    if form.is_valid():
        errors = wizard.check(step, form)
        if not errors:
            wizard.save(step, request.POST)
            return redirect(f"{reverse('referrals:create')}?step={wizard.next_after(step)}")
        add_step_errors(form, errors)
    return render_step(request, wizard, step, form)


def quick_added(request: HttpRequest, wizard: Wizard, formset: Any) -> Any:
    """ "Add" beside a recent contact (without JavaScript): it fills the first empty row."""
    recent = recent_team_contacts(user=wizard.user)
    index = request.POST.get("quick_add", "")
    if not index.isdigit() or int(index) >= len(recent):
        return formset
    data = request.POST.copy()
    rows = int(data.get("team-TOTAL_FORMS", "0") or 0)
    target = next(
        (i for i in range(rows) if not any(data.get(f"team-{i}-{k}") for k in TEAM_FIELDS)), rows
    )
    if target == rows:
        data["team-TOTAL_FORMS"] = str(rows + 1)
    for key in TEAM_FIELDS:
        data[f"team-{target}-{key}"] = recent[int(index)][key]
    return wizard.form("team", data)


def render_step(request: HttpRequest, wizard: Wizard, step: str, form: Any) -> HttpResponse:
    context: dict[str, Any] = {
        "step": step,
        "steps": wizard.steps(),
        "form": form,
        "previous": wizard.previous_of(step),
        "is_assessment": wizard.is_assessment,
    }
    if step == "customer":
        values = form.data if form.is_bound else {}
        context["new_customer"] = wizard.new_customer_form(form.data if form.is_bound else None)
        context.update(suggestions_context(wizard.user, values))
    elif step == "team":
        context["recent"] = recent_team_contacts(user=wizard.user)
    elif step == "review":
        context["summary"] = summary(wizard)
    return render(request, "referrals/wizard.html", context)


def summary(wizard: Wizard) -> dict[str, Any]:
    """Everything entered, as the review shows it before "Create deal"."""
    forms = {s.name: wizard.form(s.name) for s in wizard.steps() if s.name != "review"}
    cleaned = {name: form.cleaned_data if form.is_valid() else {} for name, form in forms.items()}
    customer_data = cleaned.get("customer", {})
    new = wizard.new_customer_form()
    return {
        "deal_type": dict(DEAL_TYPES).get(customer_data.get("deal_type", ""), ""),
        "customer": wizard.customer(),
        "new_customer": new.cleaned_data if new.is_valid() else None,
        "contact": cleaned.get("contact", {}),
        "details": cleaned.get("details", {}),
        "team": team_members(forms["team"]) if forms["team"].is_valid() else [],
        "solution": cleaned.get("solution", {}),
    }


def create(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    """ "Create deal": every step bound again, then the services create it all at once."""
    agree = AgreeStepForm(request.POST)
    if not agree.is_valid():
        return render_step(request, wizard, "review", agree)
    forms = {s.name: wizard.form(s.name) for s in wizard.steps() if s.name != "review"}
    invalid = [name for name, form in forms.items() if not form.is_valid()]
    if invalid:
        return redirect(f"{reverse('referrals:create')}?step={invalid[0]}")
    try:
        referral = create_from_forms(wizard, forms)
    except ValidationError as exc:
        return misplaced_errors(request, wizard, forms, exc)
    except AppError as exc:
        agree.add_error(None, exc.message)
        return render_step(request, wizard, "review", agree)
    wizard.clear()
    messages.success(
        request,
        _("Deal “%(name)s” created: it is on the Outbound tab as Accepted.")
        % {"name": referral.opportunity.name},
    )
    return redirect(f"{reverse('referrals:list')}?tab=outbound")


def create_from_forms(wizard: Wizard, forms: dict[str, Any]) -> Referral:
    customer_data = forms["customer"].cleaned_data
    contact = forms["contact"].cleaned_data
    details = forms["details"].cleaned_data
    solution = forms["solution"].cleaned_data if "solution" in forms else {}
    new_customer = None
    if customer_data["customer"] == NEW_CUSTOMER:
        new = wizard.new_customer_form()
        new.is_valid()
        new_customer = {
            "name": new.cleaned_data["new_name"],
            "country": new.cleaned_data["new_country"],
            "duns": selectors.normalized_duns(new.cleaned_data["new_duns"]),
            "address": new.cleaned_data["new_address"],
            "city": new.cleaned_data["new_city"],
            "currency": new.cleaned_data["new_currency"].code,
        }
    currency = details["currency"]
    return referral_create(
        actor=wizard.user,
        kind=customer_data["deal_type"],
        customer=wizard.customer(),
        new_customer=new_customer,
        contact=Contact(
            contact["contact_name"], contact["contact_phone"], contact["contact_email"]
        ),
        consent=contact["consent"],
        specialist_memo=contact["specialist_memo"],
        vendor_help_requested=contact["vendor_help_requested"],
        details=Details(
            name=details["name"],
            location=details["location"],
            amount_minor=to_minor(details["value"], currency.code, field="value"),
            currency=currency,
            estimated_close_date=details["estimated_close_date"],
            notes=details["notes"],
            crm_id=details["crm_id"],
            campaign_id=details["campaign_id"],
        ),
        team=team_members(forms["team"]),
        solution_type_ids=[solution["solution_type"].pk] if solution else [],
        assessment_location=solution.get("assessment_location"),
        agreed=True,
    )


def misplaced_errors(
    request: HttpRequest, wizard: Wizard, forms: dict[str, Any], exc: ValidationError
) -> HttpResponse:
    """An error found only at creation shows on the step it belongs to."""
    names = [s.name for s in wizard.steps()]
    steps = {STEP_OF_FIELD.get(f.split(".")[0], "review") for f in exc.message_dict}
    step = min(steps, key=lambda s: names.index(s) if s in names else len(names))
    if step == "review" or step not in forms:
        agree = AgreeStepForm(request.POST)
        agree.is_valid()
        for errors in exc.message_dict.values():
            agree.add_error(None, errors)
        return render_step(request, wizard, "review", agree)
    form = forms[step]
    add_step_errors(
        form,
        {f: e for f, e in exc.message_dict.items() if STEP_OF_FIELD.get(f.split(".")[0]) == step},
    )
    return render_step(request, wizard, step, form)
