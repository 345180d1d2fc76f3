"""Customer, contact and partner pages: thin views over the crm selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openprm.accounts.api_auth import MemberRequest
from openprm.core.dates import program_today
from openprm.core.errors import NotFound, PreconditionFailed
from openprm.crm import selectors, services
from openprm.crm.cards import record_cards
from openprm.crm.forms import ContactForm, ContactSearchForm, CustomerNoteForm, CustomerSearchForm

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def customer_list(request: MemberRequest) -> HttpResponse:
    form = CustomerSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    customers = selectors.customer_search(
        user=request.user,
        q=filters.get("q", ""),
        country=filters.get("country", ""),
        duns=filters.get("duns", ""),
    )
    if form.errors:
        # A search that cannot be read finds nothing, rather than the whole directory.
        customers = customers.none()
    context = {
        "form": form,
        "page": paginate(request, customers),
        "query": query_without_page(request),
    }
    return render(request, "crm/customer_list.html", context)


@login_required
def customer_detail(request: MemberRequest, customer_id: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, customer_id=customer_id)
    context = {
        "customer": customer,
        "note_form": CustomerNoteForm(),
        "subscriptions": selectors.subscriptions_for_user(
            user=request.user, customer_id=customer.pk
        ),
        "record_cards": record_cards(request=request, record="customer", obj=customer),
    }
    if request.user.is_partner:
        context.update(selectors.partner_records_for_customer(user=request.user, customer=customer))
    return render(request, "crm/customer_detail.html", context)


@login_required
@require_POST
def customer_note_add(request: MemberRequest, customer_id: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, customer_id=customer_id)
    form = CustomerNoteForm(request.POST)
    if form.is_valid():
        services.customer_note_create(
            customer=customer, actor=request.user, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("Write the note before adding it."))
    return redirect("crm:customer-detail", customer_id=customer.pk)


@login_required
def contact_list(request: MemberRequest) -> HttpResponse:
    form = ContactSearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    contacts = selectors.contacts_for_user(user=request.user, q=q)
    context = {
        "form": form,
        "page": paginate(request, contacts),
        "query": query_without_page(request),
        "can_edit": request.user.is_partner,
    }
    return render(request, "crm/contact_list.html", context)


@login_required
def contact_detail(request: MemberRequest, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    organization = request.user.organization
    can_edit = bool(
        request.user.is_partner and organization and contact.organization_id == organization.pk
    )
    context = {
        "contact": contact,
        "can_edit": can_edit,
        "record_cards": record_cards(request=request, record="contact", obj=contact),
    }
    return render(request, "crm/contact_detail.html", context)


@login_required
def contact_create(request: MemberRequest) -> HttpResponse:
    if not request.user.is_partner:
        raise NotFound()
    initial = {"customer": request.GET.get("customer")} if request.GET.get("customer") else {}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(actor=request.user, **form.service_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("crm:contact-detail", contact_id=contact.pk)
    return render(request, "crm/contact_form.html", {"form": form, "contact": None})


@login_required
def contact_edit(request: MemberRequest, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    if not request.user.is_partner:
        raise NotFound()
    initial = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email,
        "phone": contact.phone,
        "job_title": contact.job_title,
        "customer": contact.customer_id,
        "vendor_crm_id": contact.vendor_crm_id,
        "partner_crm_id": contact.partner_crm_id,
        "version": contact.version,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_update(
                contact=contact,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_data(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PreconditionFailed:
            form.add_error(
                None, _("Someone changed this contact since you opened it; reload and retry.")
            )
        else:
            messages.success(request, _("Contact saved."))
            return redirect("crm:contact-detail", contact_id=contact.pk)
    return render(request, "crm/contact_form.html", {"form": form, "contact": contact})


@login_required
@require_POST
def contact_delete(request: MemberRequest, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    services.contact_delete(contact=contact, actor=request.user)
    messages.success(request, _("Contact deleted."))
    return redirect("crm:contacts")


def require_vendor_staff(request: MemberRequest) -> None:
    """The partner directory is the vendor's view; to a partner it does not exist."""
    if not request.user.is_vendor_staff:
        raise NotFound()


@login_required
def partner_list(request: MemberRequest) -> HttpResponse:
    require_vendor_staff(request)
    partners = selectors.partners_for_user(user=request.user)
    return render(request, "crm/partner_list.html", {"page": paginate(request, partners)})


@login_required
def partner_detail(request: MemberRequest, partner_id: int) -> HttpResponse:
    require_vendor_staff(request)
    partner = selectors.partner_get(user=request.user, partner_id=partner_id)
    context = {"partner": partner, "today": program_today()}
    return render(request, "crm/partner_detail.html", context)
