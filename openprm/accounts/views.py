"""Sign-in, the Settings pages (profile, password, API tokens, users) and invitations."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from openprm.accounts import selectors, services
from openprm.accounts.forms import (
    ApiTokenForm,
    InvitationAcceptForm,
    InvitationForm,
    OwnPasswordChangeForm,
    PreferencesForm,
    ResetPasswordForm,
    ResetSetPasswordForm,
    RoleScopeForm,
    SignInForm,
)
from openprm.accounts.http import AuthenticatedRequest, acting_user
from openprm.accounts.models import User
from openprm.core.errors import Conflict


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def settings_context(request: HttpRequest, section: str, **extra: Any) -> dict[str, Any]:
    """What the Settings tabs need: which one is open and whether "Users" shows."""
    return {
        "section": section,
        "can_manage_users": services.can_manage_users(acting_user(request)),
        **extra,
    }


@login_required
def settings_profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    initial = {"full_name": user.full_name, "language": user.language, "timezone": user.timezone}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_preferences(
                user=user,
                full_name=form.cleaned_data["full_name"],
                language=form.cleaned_data["language"],
                timezone_name=form.cleaned_data["timezone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your preferences are saved."))
            return redirect("accounts:settings")
    return render(
        request, "accounts/settings_profile.html", settings_context(request, "profile", form=form)
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also keeps the choice on the signed-in user, because
    the user's saved language wins over the cookie on every later request."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and user.is_authenticated and language in services.language_codes():
        services.user_update_preferences(user=user, language=language)
    return response


class PasswordChange(SuccessMessageMixin, auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "accounts/settings_password.html"
    success_url = reverse_lazy("accounts:settings")
    success_message = gettext_lazy("Your password is changed.")
    extra_context = {"section": "password"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage_users"] = services.can_manage_users(acting_user(self.request))
        return context


class PasswordReset(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        """Links in emails use the configured site address, as invitations do, never the
        request's Host header."""
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    form_class = ResetSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@sensitive_variables("secret")
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The secret is rendered in the response to the create, and never again."""
    user = request.user
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.api_token_create(user=user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    context = settings_context(
        request,
        "tokens",
        form=form,
        secret=secret,
        tokens=selectors.api_tokens_for_user(user=user),
    )
    return render(request, "accounts/settings_tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    user = request.user
    token = selectors.api_token_get(user=user, token_id=token_id)
    services.api_token_revoke(token=token, actor=user)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:tokens")


@login_required
def users(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    context = settings_context(
        request,
        "users",
        members=selectors.members_for_manager(user=user),
        invitations=selectors.open_invitations_for_manager(user=user),
    )
    return render(request, "accounts/settings_users.html", context)


@login_required
def user_invite(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organization = selectors.managed_organization(user=user)
    form = InvitationForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                **form.scope(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Invitation sent to %s.") % invitation.email)
            return redirect("accounts:users")
    return render(
        request, "accounts/user_invite.html", settings_context(request, "users", form=form)
    )


@login_required
def user_edit(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    user = request.user
    membership = selectors.member_get(user=user, user_id=user_id)
    initial = {
        "role": membership.role,
        "global_scope": membership.global_scope,
        "location_countries": membership.countries,
    }
    form = RoleScopeForm(
        request.POST or None, initial=initial, organization=membership.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(actor=user, user_id=user_id, **form.scope())
        except ValidationError as exc:
            form.add_error(None, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%s is updated.") % membership.user)
            return redirect("accounts:users")
    context = settings_context(request, "users", form=form, member=membership)
    return render(request, "accounts/user_edit.html", context)


@login_required
@require_POST
def user_deactivate(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    try:
        membership = services.user_deactivate(actor=request.user, user_id=user_id)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%s is deactivated.") % membership.user)
    return redirect("accounts:users")


@login_required
@require_POST
def user_reactivate(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    membership = services.user_reactivate(actor=request.user, user_id=user_id)
    messages.success(request, _("%s is reactivated.") % membership.user)
    return redirect("accounts:users")


@sensitive_post_parameters("password", "password_confirmation")
def invitation_accept(request: HttpRequest, secret: str) -> HttpResponse:
    """Public: the link in the email is the credential; accepting signs the new member in."""
    invitation = selectors.invitation_for_secret(secret=secret, user=request.user)
    form = InvitationAcceptForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.invitation_accept(
                secret=secret,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %s.") % invitation.organization.name)
            return redirect("home")
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/invitation_accept.html", context)
