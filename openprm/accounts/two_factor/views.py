"""Pages of two-factor sign-in: the code step of signing in, enrolment, recovery codes, turning
it off, and the organization's requirement (Settings, Two-factor sign-in)."""

import time
from base64 import b32encode
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from openprm.accounts.http import AuthenticatedRequest, acting_user
from openprm.accounts.models import User
from openprm.accounts.two_factor import remember, selectors, services
from openprm.accounts.two_factor.forms import CodeForm, RequirementForm, SetupForm, SignInCodeForm
from openprm.accounts.two_factor.middleware import ENROL_SESSION_KEY
from openprm.accounts.two_factor.qr import qr_svg
from openprm.accounts.views import SignInView, settings_context
from openprm.core.errors import AppError

PENDING_SESSION_KEY = "two_factor_pending"
# How long the code step waits after a correct password before the password is asked again.
PENDING_SECONDS = 5 * 60


class TwoFactorSignInView(SignInView):
    """The password step: an enrolled user goes on to the code (unless this browser is
    remembered), and a user whose organization requires it goes on to enrol."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        step = selectors.sign_in_step(user=user)
        if step == "code" and not remember.is_remembered(self.request, user):
            self.request.session[PENDING_SESSION_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "at": time.time(),
            }
            return redirect("accounts:two_factor_sign_in")
        response = super().form_valid(form)
        if step == "enrol":
            self.request.session[ENROL_SESSION_KEY] = True
            return redirect("accounts:two_factor_setup")
        return response


def pending_sign_in(request: HttpRequest) -> tuple[dict[str, Any], User] | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = selectors.pending_user_get(user_id=pending["user"])
    return (pending, user) if user is not None else None


@sensitive_post_parameters("code")
@sensitive_variables("form")
def sign_in_code(request: HttpRequest) -> HttpResponse:
    found = pending_sign_in(request)
    if found is None:
        request.session.pop(PENDING_SESSION_KEY, None)
        messages.info(request, _("Sign in again: the code step has expired."))
        return redirect("login")
    pending, user = found
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_in_code_check(request=request, user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"])
        except AppError as exc:
            form.add_error(None, _(exc.message))
        else:
            del request.session[PENDING_SESSION_KEY]
            login(request, user, backend=pending["backend"])
            response = redirect(pending["next"])
            if form.cleaned_data["remember"]:
                remember.remember(response, user)
            return response
    return render(request, "two_factor/sign_in_code.html", {"form": form})


def secret_for_typing(key_hex: str) -> str:
    """The key as people type it into an app without a camera: base32 in groups of four."""
    text = b32encode(bytes.fromhex(key_hex)).decode()
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


def recovery_codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    context = settings_context(request, "two_factor", codes=codes)
    return render(request, "two_factor/recovery_codes.html", context)


@login_required
@sensitive_variables("device", "codes")
def setup(request: AuthenticatedRequest) -> HttpResponse:
    user = acting_user(request)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"])
        else:
            request.session.pop(ENROL_SESSION_KEY, None)
            messages.success(request, _("Two-factor sign-in is on."))
            return recovery_codes_page(request, codes)
    try:
        device = services.totp_device_pending(user=user)
    except AppError:
        return redirect("accounts:two_factor")
    context = settings_context(
        request,
        "two_factor",
        form=form,
        qr=qr_svg(device.config_url),
        secret=secret_for_typing(device.key),
        enrol_required=bool(request.session.get(ENROL_SESSION_KEY)),
    )
    return render(request, "two_factor/setup.html", context)


def status_page(request: HttpRequest, **forms: Any) -> HttpResponse:
    user = acting_user(request)
    status = selectors.status_get(user=user)
    requirement = status["requirement"]
    if requirement is not None and "requirement_form" not in forms:
        initial = {
            "required": requirement.required,
            "partners_required": requirement.partners_required,
        }
        forms["requirement_form"] = RequirementForm(
            initial=initial, program_admin=user.is_program_admin
        )
    forms.setdefault("disable_form", CodeForm(auto_id="disable_%s"))
    context = settings_context(request, "two_factor", **status, **forms)
    return render(request, "two_factor/status.html", context)


@login_required
def status(request: AuthenticatedRequest) -> HttpResponse:
    return status_page(request)


@login_required
@require_POST
@sensitive_variables("codes")
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(user=acting_user(request))
    except AppError as exc:
        messages.error(request, _(exc.message))
        return redirect("accounts:two_factor")
    return recovery_codes_page(request, codes)


@login_required
@require_POST
@sensitive_post_parameters("code")
def disable(request: AuthenticatedRequest) -> HttpResponse:
    form = CodeForm(request.POST, auto_id="disable_%s")
    if form.is_valid():
        try:
            services.two_factor_disable(user=acting_user(request), code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"])
        except AppError as exc:
            form.add_error(None, _(exc.message))
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("accounts:two_factor")
    return status_page(request, disable_form=form)


@login_required
@require_POST
def requirement(request: AuthenticatedRequest) -> HttpResponse:
    user = acting_user(request)
    form = RequirementForm(request.POST, program_admin=user.is_program_admin)
    if form.is_valid():
        try:
            services.requirement_set(
                user=user,
                required=form.cleaned_data["required"],
                partners_required=form.cleaned_data.get("partners_required", False),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The two-factor requirement is saved."))
            return redirect("accounts:two_factor")
    return status_page(request, requirement_form=form)
