"""The "New deal" wizard (D2): Customer, Customer contact, Deal details, Team, Solution, and
the agree box with "Create deal".

Each step's input is kept in the session as it was posted, and bound again to its form at
the end, so nothing is saved before "Create deal". Each step is checked when it is left, with
the same checks the referrals services run at creation, so errors show on the step they
belong to. A customer the directory lacks is added together with the deal, in one transaction.
"""

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from openprm.core.checks import positive_amount
from openprm.core.errors import AppError, NotFound
from openprm.core.money import to_minor
from openprm.crm import selectors as crm_selectors
from openprm.crm.models import Customer, OpportunityKind
from openprm.referrals import selectors
from openprm.referrals.checks import Contact, checked_contact
from openprm.referrals.creation.services import Details, referral_create
from openprm.referrals.forms import (
    DEAL_TYPES,
    AgreeStepForm,
    ContactStepForm,
    CustomerStepForm,
    DetailsStepForm,
    NewCustomerForm,
    SolutionStepForm,
    TeamFormSet,
)
from openprm.referrals.models import Referral
from openprm.referrals.team.selectors import recent_team_contacts
from openprm.referrals.team.services import checked_team

SESSION_KEY = "referral_wizard"
SUGGESTIONS = 10
NEW_CUSTOMER = "new"


@dataclass(frozen=True)
class Step:
    name: str
    label: Any


STEPS = (
    Step("customer", gettext_lazy("Customer")),
    Step("contact", gettext_lazy("Customer contact")),
    Step("details", gettext_lazy("Deal details")),
    Step("team", gettext_lazy("Team")),
    Step("solution", gettext_lazy("Solution")),
    Step("review", gettext_lazy("Review")),
)
# Where a service's error about a field belongs.
STEP_OF_FIELD = {
    "kind": "customer",
    "customer": "customer",
    "contact_name": "contact",
    "contact_phone": "contact",
    "contact_email": "contact",
    "consent": "contact",
    "name": "details",
    "location": "details",
    "amount": "details",
    "currency": "details",
    "estimated_close_date": "details",
    "notes": "details",
    "team": "team",
    "solution_type_ids": "solution",
    "assessment_location": "solution",
    "new_customer": "customer",
}
FIELD_ALIASES = {
    "amount": "value",
    "solution_type_ids": "solution_type",
    "kind": "deal_type",
    **{
        f"new_customer.{name}": f"new_{name}"
        for name in ("name", "country", "duns", "address", "city", "currency")
    },
}


class Wizard:
    """The wizard's state in the session: each step's posted input, as posted."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user: Any = request.user
        self.data: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})

    def save(self, step: str, posted: Any) -> None:
        values = posted.dict()
        for key in ("csrfmiddlewaretoken", "step", "search", "quick_add"):
            values.pop(key, None)
        self.data[step] = values
        self.request.session[SESSION_KEY] = self.data

    def clear(self) -> None:
        self.request.session.pop(SESSION_KEY, None)

    @property
    def is_assessment(self) -> bool:
        deal_type = self.data.get("customer", {}).get("deal_type")
        return deal_type == OpportunityKind.SOLUTION_ASSESSMENT

    def steps(self) -> list[Step]:
        """Solution assessments choose their solution; co-sell deals have none."""
        return [s for s in STEPS if s.name != "solution" or self.is_assessment]

    def next_after(self, step: str) -> str:
        names = [s.name for s in self.steps()]
        return names[min(names.index(step) + 1, len(names) - 1)]

    def previous_of(self, step: str) -> str | None:
        names = [s.name for s in self.steps()]
        index = names.index(step) if step in names else 0
        return names[index - 1] if index > 0 else None

    # -- the forms of each step, bound to the session's input or to this request's ----------

    def locations(self) -> Any:
        return selectors.partner_locations(user=self.user)

    def deal_types(self) -> list[tuple[str, Any]]:
        """Only partners the vendor vetted may create solution assessments (D1)."""
        if selectors.solution_types_for(user=self.user).exists():
            return list(DEAL_TYPES)
        return [t for t in DEAL_TYPES if t[0] != OpportunityKind.SOLUTION_ASSESSMENT]

    def form(self, step: str, data: Any = None) -> Any:
        data = data if data is not None else self.data.get(step)
        initial = self.initial(step)
        if step == "customer":
            return CustomerStepForm(data, deal_types=self.deal_types(), initial=initial)
        if step == "contact":
            return ContactStepForm(data)
        if step == "details":
            return DetailsStepForm(data, locations=self.locations(), initial=initial)
        if step == "team":
            return TeamFormSet(data, prefix="team")
        if step == "solution":
            return SolutionStepForm(
                data,
                solution_types=selectors.solution_types_for(user=self.user),
                locations=self.locations(),
            )
        return AgreeStepForm(data)

    def initial(self, step: str) -> dict[str, Any]:
        organization = self.user.organization
        if step == "customer":
            return {"deal_type": OpportunityKind.CO_SELL, "country": organization.country}
        if step == "details":
            customer = self.customer()
            return {"currency": customer.currency_id} if customer is not None else {}
        return {}

    def new_customer_form(self, data: Any = None) -> NewCustomerForm:
        return NewCustomerForm(data if data is not None else self.data.get("customer"))

    def customer(self) -> Customer | None:
        """The directory entry chosen in step 1 (None while none is, or a new one is added)."""
        chosen = (self.data.get("customer") or {}).get("customer") or ""
        if not chosen.isdigit():
            return None
        try:
            return crm_selectors.customer_get(user=self.user, customer_id=int(chosen))
        except NotFound:
            return None

    def first_incomplete(self) -> str | None:
        for step in self.steps():
            if step.name == "review":
                return None
            if step.name not in self.data or not self.is_valid(step.name):
                return step.name
        return None

    def is_valid(self, step: str) -> bool:
        form = self.form(step)
        return bool(form.is_valid() and not self.check(step, form))

    # -- the checks of each step: the services' own --------------------------------------

    def check(self, step: str, form: Any) -> dict[str, list[str]]:
        """The step's errors by field, beyond what its form parses; empty when it is fine."""
        try:
            if step == "customer":
                self.check_customer(form)
            elif step == "contact":
                data = form.cleaned_data
                checked_contact(
                    Contact(data["contact_name"], data["contact_phone"], data["contact_email"]),
                    required=self.is_assessment or data["vendor_help_requested"],
                    consent=data["consent"],
                )
            elif step == "details":
                data = form.cleaned_data
                positive_amount(
                    "amount", to_minor(data["value"], data["currency"].code, field="value")
                )
            elif step == "team":
                checked_team(team_members(form), required=True)
        except ValidationError as exc:
            return exc.message_dict
        return {}

    def check_customer(self, form: CustomerStepForm) -> None:
        chosen = form.cleaned_data["customer"]
        if chosen == NEW_CUSTOMER:
            new = self.new_customer_form(form.data)
            if not new.is_valid():
                raise ValidationError({k: list(v) for k, v in new.errors.items()})
            duns = new.cleaned_data["new_duns"]
            if crm_selectors.customer_search(user=self.user, duns=duns).exists():
                raise ValidationError(
                    {
                        "new_duns": _(
                            "A customer with this DUNS number is in the directory: "
                            "search for it and choose it."
                        )
                    }
                )
            return
        if (
            not chosen.isdigit()
            or not crm_selectors.customer_search(user=self.user).filter(pk=int(chosen)).exists()
        ):
            raise ValidationError({"customer": _("Choose the customer from the suggestions.")})


def team_members(formset: Any) -> list[dict[str, str]]:
    return [m for m in (form.member() for form in formset.forms) if m is not None]


def normalized_duns(value: str) -> str:
    """Full-width digits typed on a Japanese keyboard are the same number."""
    return unicodedata.normalize("NFKC", value or "").strip()


def suggestions_for(user: Any, *, country: str, q: str, duns: str) -> list[Customer]:
    """Step 1's suggestions: a DUNS number finds the exact entity, else name and location."""
    duns = normalized_duns(duns)
    if duns:
        return list(crm_selectors.customer_search(user=user, duns=duns)[:1])
    if not q.strip():
        return []
    return list(crm_selectors.customer_search(user=user, q=q, country=country)[:SUGGESTIONS])


def suggestions_context(user: Any, values: Any) -> dict[str, Any]:
    """The suggestions for the searched values, with the customer already chosen among them."""
    suggestions = suggestions_for(
        user,
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


def require_partner(request: HttpRequest) -> Any:
    user: Any = request.user
    if not user.is_partner or user.organization is None:
        raise NotFound()
    return user


def add_step_errors(form: Any, errors: dict[str, list[str]]) -> None:
    """Errors on the fields they name; team.2.phone on the third filled row of the team."""
    if hasattr(form, "forms"):
        filled = [f for f in form.forms if f.member() is not None]
        for field, messages_ in errors.items():
            _team, _dot, rest = field.partition(".")
            index, _dot, name = rest.partition(".")
            if index.isdigit() and int(index) < len(filled):
                filled[int(index)].add_error(name or None, messages_)
            else:
                form.forms[0].add_error(None, messages_)
        return
    for field, messages_ in errors.items():
        name = FIELD_ALIASES.get(field, field)
        form.add_error(name if name in form.fields else None, messages_)


@login_required
@require_http_methods(["GET", "POST"])
def new_deal(request: HttpRequest) -> HttpResponse:
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
        (i for i in range(rows) if not any(data.get(f"team-{i}-{k}") for k in TEAM_KEYS)), rows
    )
    if target == rows:
        data["team-TOTAL_FORMS"] = str(rows + 1)
    for key in TEAM_KEYS:
        data[f"team-{target}-{key}"] = recent[int(index)][key]
    return wizard.form("team", data)


TEAM_KEYS = ("first_name", "last_name", "phone", "email")


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
            "duns": normalized_duns(new.cleaned_data["new_duns"]),
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


@login_required
@require_GET
def customer_suggestions(request: HttpRequest) -> HttpResponse:
    """The suggestion list alone, for the script of the wizard's step 1 and of "Send referral"
    while the name is typed; the directory is searchable by every member."""
    user: Any = request.user
    if user.organization is None:
        raise NotFound()
    customers = suggestions_for(
        user,
        country=request.GET.get("country", ""),
        q=request.GET.get("q", ""),
        duns=request.GET.get("duns", ""),
    )
    context = {"suggestions": customers, "selected": request.GET.get("customer", "")}
    return render(request, "referrals/_customer_suggestions.html", context)
