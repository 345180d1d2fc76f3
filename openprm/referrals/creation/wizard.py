"""The "New deal" wizard's state (D2): each step's input kept in the session as it was posted,
bound again to its form, and checked with the creation services' own checks when the step is
left, so errors show on the step they belong to.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openprm.core.checks import positive_amount
from openprm.core.errors import NotFound
from openprm.core.money import to_minor
from openprm.crm import selectors as crm_selectors
from openprm.crm.models import Customer, OpportunityKind
from openprm.referrals import selectors
from openprm.referrals.checks import Contact, checked_contact
from openprm.referrals.creation.forms import (
    AgreeStepForm,
    ContactStepForm,
    CustomerStepForm,
    DetailsStepForm,
    NewCustomerForm,
    SolutionStepForm,
)
from openprm.referrals.forms import DEAL_TYPES
from openprm.referrals.team.forms import TeamFormSet
from openprm.referrals.team.services import checked_team

SESSION_KEY = "referral_wizard"


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
            return DetailsStepForm(
                data,
                locations=selectors.partner_locations(user=self.user, in_scope=True),
                initial=initial,
            )
        if step == "team":
            return TeamFormSet(data, prefix="team", initial=[self.own_team_row()])
        if step == "solution":
            return SolutionStepForm(
                data,
                solution_types=selectors.solution_types_for(user=self.user),
                locations=self.locations(),
            )
        return AgreeStepForm(data)

    def own_team_row(self) -> dict[str, str]:
        """The creator joins the team: the first row is theirs, their phone left to add."""
        first, _space, last = (self.user.full_name or "").partition(" ")
        return {"first_name": first, "last_name": last, "email": self.user.email}

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
