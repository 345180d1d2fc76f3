"""Partner applications: a company applies without an account; the program admin approves it
(the partner organization is created and its contact invited as the partner's admin, together
or not at all) or rejects it with a reason the applicant reads in an email."""

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openprm.accounts import services as account_services
from openprm.accounts.models import Organization, User
from openprm.core.checks import FieldErrors, required_text, valid_email
from openprm.core.errors import Conflict, NotFound, field_error
from openprm.core.events import record_event
from openprm.core.search import fold
from openprm.crm.applications.models import ApplicationStatus, PartnerApplication
from openprm.crm.partners import services as partner_services
from openprm.crm.partners.services import LocationInput, PartnerInput, checked_country

ALREADY_DECIDED: dict[str, Any] = {
    ApplicationStatus.APPROVED: gettext_lazy(
        "This application was already approved; it cannot be decided again."
    ),
    ApplicationStatus.REJECTED: gettext_lazy(
        "This application was already rejected; it cannot be decided again."
    ),
}


@dataclass(frozen=True)
class ApplicationInput:
    company_name: str
    country: str
    contact_name: str
    contact_email: str
    website: str = ""
    message: str = ""


@dataclass(frozen=True)
class ApprovalInput:
    """What the program decides about the new partner; the rest comes from the application."""

    currency: str
    location: LocationInput
    market: str = ""
    pdm_id: int | None = None
    tier: str = ""


def not_a_partner_yet(name: str) -> str:
    name = required_text("company_name", name)
    if Organization.objects.filter(search_name=fold(name)).exists():
        raise field_error(
            "company_name", _("A partner with this name is already in the program."), "unique"
        )
    return name


def checked_company_name(name: str) -> str:
    name = not_a_partner_yet(name)
    pending = PartnerApplication.objects.filter(
        search_name=fold(name), status=ApplicationStatus.PENDING
    )
    if pending.exists():
        raise field_error(
            "company_name",
            _("An application for this company is already waiting for a decision."),
            "unique",
        )
    return name


def application_language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


@transaction.atomic
def application_submit(*, data: ApplicationInput, language: str) -> PartnerApplication:
    """Anyone may apply: the callers limit how often one address does (see throttling)."""
    errors = FieldErrors()
    application = PartnerApplication(
        company_name=errors.check(checked_company_name, data.company_name),
        country=errors.check(checked_country, "country", data.country),
        contact_name=errors.check(required_text, "contact_name", data.contact_name),
        contact_email=errors.check(valid_email, "contact_email", data.contact_email.strip()),
        website=data.website.strip(),
        message=data.message.strip(),
        language=application_language(language),
    )
    errors.raise_any()
    application.full_clean()
    application.save()
    record_event(
        kind="partner_application.submitted",
        obj=application,
        data={"company_name": application.company_name, "country": str(application.country)},
    )
    return application


def locked_pending(*, actor: User, application_id: int) -> PartnerApplication:
    if not (actor.is_active and actor.is_program_admin):
        raise NotFound()
    application = PartnerApplication.objects.select_for_update().filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    if not application.is_pending:
        raise Conflict(str(ALREADY_DECIDED[application.status]), code="already_decided")
    return application


def decide(application: PartnerApplication, *, actor: User, status: str) -> None:
    application.status = status
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()


def ensure_invitable(email: str) -> None:
    """Checked before the partner is created, so the answer names the application's field."""
    if User.objects.filter(email=email.strip().lower()).exists():
        raise field_error(
            "contact_email",
            _("This email already signs in to the program; it cannot be this partner's admin."),
            "unique",
        )


@transaction.atomic
def application_approve(
    *, actor: User, application_id: int, data: ApprovalInput
) -> PartnerApplication:
    application = locked_pending(actor=actor, application_id=application_id)
    errors = FieldErrors()
    errors.check(not_a_partner_yet, application.company_name)
    errors.check(ensure_invitable, application.contact_email)
    errors.raise_any()
    partner = partner_services.partner_create(
        actor=actor,
        data=PartnerInput(
            name=application.company_name,
            country=str(application.country),
            market=data.market,
            currency=data.currency,
            pdm_id=data.pdm_id,
            website=application.website,
        ),
        locations=[data.location],
        tier=data.tier,
    )
    with translation.override(application.language):
        account_services.partner_admin_invite(
            actor=actor,
            partner_id=partner.pk,
            email=application.contact_email,
            full_name=application.contact_name,
        )
    application.partner = partner
    decide(application, actor=actor, status=ApplicationStatus.APPROVED)
    record_event(
        kind="partner_application.approved",
        obj=application,
        actor=actor,
        data={"company_name": application.company_name, "partner": partner.pk},
    )
    return application


def send_rejection_email(*, application: PartnerApplication) -> None:
    with translation.override(application.language):
        subject = _("Your partner application for %(company)s") % {
            "company": application.company_name
        }
        body = render_to_string("crm/applications/email/rejected.txt", {"application": application})
    send_mail(subject, body, None, [application.contact_email])


@transaction.atomic
def application_reject(*, actor: User, application_id: int, reason: str) -> PartnerApplication:
    application = locked_pending(actor=actor, application_id=application_id)
    application.rejection_reason = required_text("reason", reason)
    decide(application, actor=actor, status=ApplicationStatus.REJECTED)
    record_event(
        kind="partner_application.rejected",
        obj=application,
        actor=actor,
        data={"company_name": application.company_name, "reason": application.rejection_reason},
    )
    transaction.on_commit(partial(send_rejection_email, application=application))
    return application
