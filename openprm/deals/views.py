"""Shared-deal pages for both sides and the "Add" wizard. Views parse with forms and call
selectors and services; other organizations' objects are 404.
"""

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
from openprm.core.errors import AppError, NotFound, PreconditionFailed
from openprm.core.money import from_minor, to_minor
from openprm.crm import selectors as crm_selectors
from openprm.deals import selectors, services
from openprm.deals.forms import (
    ChangeProductForm,
    DealDetailsForm,
    DealStep1Form,
    DealStep2Form,
    StageForm,
)
from openprm.deals.models import Deal
from openprm.deals.notes import selectors as note_selectors
from openprm.deals.notes.forms import CommentForm, NoteForm, SharedMessageForm
from openprm.deals.pages import PAGE_SIZE, add_errors, int_or_none, list_filters, user_of
from openprm.deals.registrations import selectors as registration_selectors
from openprm.deals.registrations.forms import AnswerForm, ExtensionForm
from openprm.deals.saved_views import selectors as saved_view_selectors
from openprm.deals.saved_views.forms import SavedViewForm


@login_required
def deal_list(request: AuthenticatedRequest) -> HttpResponse:
    """Partner > Deals: the partner's shared deals."""
    user = user_of(request)
    if not user.is_partner:
        return redirect("deals:vendor-list")
    return render_list(request, user)


@login_required
def vendor_list(request: AuthenticatedRequest) -> HttpResponse:
    """Vendor > Deals: the shared deals the vendor user works (a rep: assigned to them)."""
    user = user_of(request)
    if not user.is_vendor_staff:
        raise NotFound()
    return render_list(request, user)


def render_list(request: HttpRequest, user: Any) -> HttpResponse:
    """The deal list, filtered ad hoc or by one of the requester's saved views (C7)."""
    current = None
    if request.GET.get("view"):
        view_id = int_or_none(request.GET["view"])
        if view_id is None:
            raise NotFound()
        current = saved_view_selectors.deal_view_get(user=user, view_id=view_id)
        state, minimum = current.state, current.min_active_registrations
    else:
        state, minimum = list_filters(request.GET)
    q = request.GET.get("q", "")[:200]
    deals = selectors.deals_for_user(user=user, state=state, min_active_registrations=minimum, q=q)
    page = Paginator(deals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "state": state,
        "active_registrations": minimum,
        "q": q,
        "query": query.urlencode(),
        "saved_views": saved_view_selectors.deal_views_for_user(user=user),
        "current_view": current,
        "view_form": SavedViewForm(),
    }
    return render(request, "deals/deal_list.html", context)


def record_of(request: HttpRequest, user: Any) -> dict[str, Any]:
    """The customer or contact record the deal is created from."""
    try:
        if request.GET.get("contact"):
            contact = crm_selectors.contact_get(user=user, contact_id=int(request.GET["contact"]))
            if contact.customer is None:
                raise NotFound()
            return {"contact": contact, "customer": contact.customer}
        customer = crm_selectors.customer_get(
            user=user, customer_id=int(request.GET.get("customer", ""))
        )
    except ValueError:
        raise NotFound() from None
    return {"contact": None, "customer": customer}


CUSTOMER_CHOICES = 20


def customer_picker(request: HttpRequest, user: Any) -> HttpResponse:
    """ "New deal" from the deal list: first the customer, searched in the directory."""
    q = request.GET.get("q", "")[:200]
    customers = crm_selectors.customer_search(user=user, q=q)[:CUSTOMER_CHOICES] if q else []
    return render(request, "deals/deal_new.html", {"q": q, "customers": customers})


@login_required
@require_http_methods(["GET", "POST"])
def deal_create(request: AuthenticatedRequest) -> HttpResponse:
    """C1: "Add" on a record: step 1 the deal, "Next", step 2 the three shared fields."""
    user = user_of(request)
    if not user.is_partner:
        raise NotFound()
    if not request.GET.get("customer") and not request.GET.get("contact"):
        return customer_picker(request, user)
    record = record_of(request, user)
    step1 = DealStep1Form(
        request.POST or None, initial={"currency": record["customer"].currency_id}
    )
    step2 = DealStep2Form(request.POST if request.POST.get("step") == "2" else None)
    step = 1
    if request.method == "POST" and step1.is_valid():
        step = 2
        if request.POST.get("step") == "2" and step2.is_valid():
            created = create_from_forms(user, record, step1, step2)
            if created is not None:
                messages.success(request, _("Shared deal created and registered."))
                return redirect("deals:detail", deal_id=created.pk)
            step = 1 if step1.errors else 2
    context = {**record, "step1": step1, "step2": step2, "step": step}
    return render(request, "deals/deal_create.html", context)


def create_from_forms(
    user: Any, record: dict[str, Any], step1: DealStep1Form, step2: DealStep2Form
) -> Deal | None:
    data = step1.cleaned_data
    currency = data["currency"]
    try:
        return services.deal_create(
            actor=user,
            customer=record["customer"],
            contact=record["contact"],
            name=data["name"],
            amount_minor=to_minor(data["amount"], currency.code, field="amount"),
            mrr_minor=to_minor(data["mrr"], currency.code, field="mrr"),
            currency=currency,
            close_date=data["close_date"],
            product_ids=[p.pk for p in data["products"]],
            vendor_crm_id=data["vendor_crm_id"],
            partner_crm_id=data["partner_crm_id"],
            **step2.cleaned_data,
        )
    except ValidationError as exc:
        add_errors([step1, step2], exc)
        return None


@login_required
def deal_detail(request: AuthenticatedRequest, deal_id: int) -> HttpResponse:
    """One deal, two views (C5): key information for both; "Shared" and "Notes" tabs (C6)."""
    user = user_of(request)
    deal = selectors.deal_get(user=user, deal_id=deal_id)
    tab = request.GET.get("tab", "shared")
    if tab not in {"shared", "notes", "history"}:
        tab = "shared"
    context = {
        "deal": deal,
        "tab": tab,
        "registration": registration_selectors.registration_of_deal(deal=deal),
        "shared_notes": note_selectors.notes_for(deal=deal, user=user, shared=True),
        "attachments": note_selectors.shared_attachments(deal=deal),
        "private_notes": note_selectors.notes_for(deal=deal, user=user, shared=False),
        "history": selectors.deal_history(deal=deal),
        "can_work": selectors.can_work_deal(user, deal),
        "stage_form": StageForm(initial={"stage": deal.stage_id}),
        "message_form": SharedMessageForm(),
        "note_form": NoteForm(),
        "comment_form": CommentForm(),
        "answer_form": AnswerForm(),
        "extension_form": ExtensionForm(),
    }
    return render(request, "deals/deal_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def change_product(request: AuthenticatedRequest, deal_id: int) -> HttpResponse:
    """C3: "Edit" > "Change product" while the deal is open."""
    user = user_of(request)
    deal = selectors.deal_get_to_change(user=user, deal_id=deal_id)
    initial = {"products": list(deal.opportunity.products.all())}
    form = ChangeProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.deal_change_product(
                deal=deal,
                actor=user,
                product_ids=[p.pk for p in form.cleaned_data["products"]],
                expected_version=int_or_none(request.POST.get("version")),
            )
        except ValidationError as exc:
            add_errors([form], exc)
        except PreconditionFailed:
            form.add_error(None, _("Someone changed this deal since you opened it; reload."))
        except AppError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Product changed."))
            return redirect("deals:detail", deal_id=deal.pk)
    return render(request, "deals/change_product.html", {"deal": deal, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit_details(request: AuthenticatedRequest, deal_id: int) -> HttpResponse:
    """C5: "Edit" > "Edit details": either side updates the key information; the other side
    sees it at once and the History tab says what changed."""
    user = user_of(request)
    deal = selectors.deal_get_to_change(user=user, deal_id=deal_id)
    opportunity = deal.opportunity
    currency = opportunity.currency_id
    initial = {
        "name": opportunity.name,
        "amount": from_minor(opportunity.amount_minor, currency),
        "mrr": from_minor(opportunity.mrr_minor, currency),
        "close_date": deal.close_date,
        "compensation_eligible": deal.compensation_eligible,
        "vendor_crm_id": deal.vendor_crm_id,
        "partner_crm_id": deal.partner_crm_id,
    }
    form = DealDetailsForm(request.POST or None, initial=initial, vendor=user.is_vendor_staff)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["amount_minor"] = to_minor(data.pop("amount"), currency, field="amount")
            data["mrr_minor"] = to_minor(data.pop("mrr"), currency, field="mrr")
            services.deal_update(
                deal=deal,
                actor=user,
                expected_version=int_or_none(request.POST.get("version")),
                **data,
            )
        except ValidationError as exc:
            add_errors([form], exc)
        except PreconditionFailed:
            form.add_error(None, _("Someone changed this deal since you opened it; reload."))
        except AppError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Deal details saved."))
            return redirect("deals:detail", deal_id=deal.pk)
    context = {"deal": deal, "form": form, "currency": currency}
    return render(request, "deals/edit_details.html", context)


@login_required
@require_POST
def move_stage(request: AuthenticatedRequest, deal_id: int) -> HttpResponse:
    user = user_of(request)
    deal = selectors.deal_get_to_change(user=user, deal_id=deal_id)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.deal_move_stage(deal=deal, actor=user, stage=form.cleaned_data["stage"])
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        except AppError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Stage changed."))
    return redirect("deals:detail", deal_id=deal.pk)
