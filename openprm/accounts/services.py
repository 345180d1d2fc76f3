"""Writes for accounts: sign-in, API tokens, invitations, members' role and scope, preferences."""

import secrets
import zoneinfo
from datetime import timedelta
from functools import cache, partial

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from openprm.accounts import lockout
from openprm.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    User,
    hash_secret,
)
from openprm.accounts.roles import ROLES_BY_KIND, OrganizationKind, Role
from openprm.accounts.two_factor import services as two_factor_services
from openprm.core.errors import (
    AppError,
    Conflict,
    Gone,
    NotFound,
    TooManyRequests,
    field_error,
)
from openprm.core.events import record_event

INVALID_CREDENTIALS = "Invalid email or password."
INVITATION_VALID_DAYS = 14

# The roles that manage their own organization's users, and that it must always keep one of.
ADMIN_ROLE = {
    OrganizationKind.PARTNER: Role.PARTNER_ADMIN,
    OrganizationKind.VENDOR: Role.PROGRAM_ADMIN,
}


@sensitive_variables("password", "code")
def user_authenticate(*, request: HttpRequest, email: str, password: str, code: str = "") -> User:
    """One answer for a wrong email and a wrong password; repeated failures make the account,
    or the address, wait (openprm.accounts.lockout). With two-factor sign-in on, the code is
    checked as on the sign-in page; a user who must enrol does so in the browser first."""
    wait = lockout.retry_after(request, email)
    if wait:
        raise TooManyRequests(
            lockout.LOCKED_OUT_MESSAGE,
            retry_after=lockout.whole_seconds(wait),
            code="locked_out",
        )
    user = authenticate(request, username=lockout.normalized(email), password=password)
    if user is None or not isinstance(user, User) or user.membership is None:
        raise AppError(INVALID_CREDENTIALS, code="invalid_credentials")
    two_factor_services.second_factor_check(request=request, user=user, code=code)
    lockout.clear_failures(user.email)
    return user


@sensitive_variables("secret")
@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; only the hash is stored, so the secret shows once."""
    secret = ApiToken.new_secret()
    token = ApiToken(user=user, name=name, key_prefix=secret[:12], key_hash=hash_secret(secret))
    token.full_clean()
    token.save()
    record_event(kind="api_token.created", obj=token, actor=user, organization=user.organization)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record_event(
            kind="api_token.revoked", obj=token, actor=actor, organization=actor.organization
        )
    return token


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


@transaction.atomic
def user_update_preferences(
    *,
    user: User,
    full_name: str | None = None,
    language: str | None = None,
    timezone_name: str | None = None,
) -> User:
    """A user's own name, language and timezone; None leaves a preference as it is."""
    if language is not None and language not in language_codes() | {""}:
        raise field_error("language", _("Choose one of the offered languages."), "invalid_choice")
    if timezone_name is not None and timezone_name not in timezone_names():
        raise field_error("timezone", _("Enter a timezone such as Asia/Tokyo."), "invalid_choice")
    if full_name is not None:
        full_name = full_name.strip()
        if not full_name:
            raise field_error("full_name", _("Enter your full name."), "required")
    changed = {}
    for field, value in (
        ("full_name", full_name), ("language", language), ("timezone", timezone_name)
    ):  # fmt: skip
        if value is not None and getattr(user, field) != value:
            setattr(user, field, value)
            changed[field] = value
    if changed:
        user.full_clean(exclude=["password"])
        user.save(update_fields=list(changed))
        record_event(
            kind="user.preferences_updated",
            obj=user,
            actor=user,
            organization=user.organization,
            data=changed,
        )
    return user


@sensitive_variables()  # all: the password passes through transaction.atomic's frame too
@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    """The settings page's password change and the password reset end here."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record_event(kind="user.password_changed", obj=user, actor=user, organization=user.organization)
    return user


def can_manage_users(user: User) -> bool:
    """Partner admins manage their partner's users; the program admin manages vendor staff."""
    organization = user.organization
    return (
        user.is_active
        and organization is not None
        and user.role == ADMIN_ROLE[OrganizationKind(organization.kind)]
    )


def location_countries_of(organization: Organization) -> list[str]:
    codes = organization.locations.values_list("country", flat=True).distinct()
    return sorted({str(code) for code in codes})


def clean_role_and_scope(
    *, organization: Organization, role: str, global_scope: bool, location_countries: list[str]
) -> tuple[bool, list[str]]:
    """Roles belong to one side of the program; only partner users can be limited to countries,
    and only to countries where their own organization has a location."""
    if role not in ROLES_BY_KIND[OrganizationKind(organization.kind)]:
        raise field_error("role", _("This role is not available in this organization."))
    if role != Role.PARTNER_USER or global_scope:
        return True, []
    wanted = sorted({code.strip().upper() for code in location_countries})
    if not wanted:
        raise field_error(
            "location_countries", _("Choose at least one country, or global scope."), "required"
        )
    allowed = set(location_countries_of(organization))
    outside = [code for code in wanted if code not in allowed]
    if outside:
        raise field_error(
            "location_countries",
            _("%(countries)s: not a country of this organization's locations.")
            % {"countries": ", ".join(outside)},
            "invalid_choice",
        )
    return False, wanted


def send_invitation_email(*, invitation: Invitation, secret: str, language: str) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[secret])
    context = {"invitation": invitation, "link": link, "days": INVITATION_VALID_DAYS}
    with translation.override(language):
        subject = _("You are invited to %(organization)s on OpenPRM") % {
            "organization": invitation.organization.name
        }
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    global_scope: bool = True,
    location_countries: list[str] | tuple[str, ...] = (),
) -> Invitation:
    """Invites an email into the actor's organization."""
    organization = actor.organization
    if organization is None or not can_manage_users(actor):
        raise NotFound()
    return invitation_issue(
        organization=organization,
        actor=actor,
        email=email,
        full_name=full_name,
        role=role,
        global_scope=global_scope,
        location_countries=list(location_countries),
    )


@transaction.atomic
def partner_admin_invite(*, actor: User, partner_id: int, email: str, full_name: str) -> Invitation:
    """The program admin invites a partner's administrator, who then invites the partner's own
    users; an inactive partner takes no invitations."""
    if not (actor.is_active and actor.is_program_admin):
        raise NotFound()
    partner = Organization.objects.partners().filter(pk=partner_id).first()
    if partner is None:
        raise NotFound()
    if not partner.is_active:
        raise Conflict(_("This partner is deactivated."), code="partner_inactive")
    return invitation_issue(
        organization=partner,
        actor=actor,
        email=email,
        full_name=full_name,
        role=Role.PARTNER_ADMIN,
        global_scope=True,
        location_countries=[],
    )


def invitation_issue(
    *,
    organization: Organization,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    global_scope: bool,
    location_countries: list[str],
) -> Invitation:
    """A repeated invitation replaces the open one, so the newest email's link is the one that
    works; an email that already signs in anywhere in the program is refused."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise field_error("email", _("A user with this email already exists."), "unique")
    global_scope, countries = clean_role_and_scope(
        organization=organization,
        role=role,
        global_scope=global_scope,
        location_countries=location_countries,
    )
    now = timezone.now()
    Invitation.objects.filter(
        organization=organization, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now, updated_at=now)
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email,
        full_name=full_name.strip(),
        role=role,
        global_scope=global_scope,
        countries=countries,
        token_hash=hash_secret(secret),
        invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    record_event(
        kind="invitation.created",
        obj=invitation,
        actor=actor,
        organization=organization,
        data={"email": email, "role": role, "location_countries": countries},
    )
    transaction.on_commit(
        partial(
            send_invitation_email,
            invitation=invitation,
            secret=secret,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    )
    return invitation


def ensure_usable(invitation: Invitation | None) -> Invitation:
    """Missing links are 404; a used, replaced or expired one says which, and what to do."""
    if invitation is None:
        raise NotFound()
    if invitation.accepted_at is not None:
        raise Gone(
            _("This invitation has already been used. Sign in with the password you chose."),
            code="invitation_used",
        )
    if invitation.revoked_at is not None:
        raise Gone(
            _("This invitation was replaced by a newer one: use the link in the latest email."),
            code="invitation_replaced",
        )
    if not invitation.is_open:
        raise Gone(
            _("This invitation has expired. Ask the person who invited you for a new one."),
            code="invitation_expired",
        )
    return invitation


@sensitive_variables()  # all: the password passes through transaction.atomic's frame too
@transaction.atomic
def invitation_accept(*, secret: str, full_name: str, password: str) -> User:
    """The invitee becomes a member with the role and scope the admin chose."""
    invitation = ensure_usable(
        Invitation.objects.select_for_update().filter(token_hash=hash_secret(secret)).first()
    )
    if User.objects.filter(email=invitation.email).exists():
        raise Conflict(_("A user with this email already exists."), code="already_member")
    user = User(email=invitation.email, full_name=full_name.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    membership = Membership(
        user=user,
        organization=invitation.organization,
        role=invitation.role,
        global_scope=invitation.global_scope,
        countries=invitation.countries,
    )
    membership.full_clean()
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    record_event(
        kind="invitation.accepted",
        obj=invitation,
        actor=user,
        organization=invitation.organization,
        data={"user_id": user.pk},
    )
    return user


def locked_membership(*, actor: User, user_id: int) -> Membership:
    """The member to change, inside the actor's own organization only.

    Changes to one organization's members queue on its row, and the actor's own admin role is
    read again under that lock: two admins demoting each other cannot both succeed."""
    organization = actor.organization
    if organization is None or not can_manage_users(actor):
        raise NotFound()
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    admin_role = ADMIN_ROLE[OrganizationKind(organization.kind)]
    members = Membership.objects.filter(organization=organization)
    if not members.filter(user=actor, role=admin_role, user__is_active=True).exists():
        raise NotFound()
    membership = members.select_related("user", "organization").filter(user_id=user_id).first()
    if membership is None:
        raise NotFound()
    return membership


def ensure_another_active_admin(membership: Membership) -> None:
    """Call under `locked_membership`'s organization lock."""
    admin_role = ADMIN_ROLE[OrganizationKind(membership.organization.kind)]
    others = Membership.objects.filter(
        organization=membership.organization, role=admin_role, user__is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise Conflict(
            _("The organization must keep at least one active administrator."), code="last_admin"
        )


@transaction.atomic
def membership_update(
    *,
    actor: User,
    user_id: int,
    role: str,
    global_scope: bool,
    location_countries: list[str],
    expected_version: int | None = None,
) -> Membership:
    membership = locked_membership(actor=actor, user_id=user_id)
    membership.check_version(expected_version)
    global_scope, countries = clean_role_and_scope(
        organization=membership.organization,
        role=role,
        global_scope=global_scope,
        location_countries=location_countries,
    )
    admin_role = ADMIN_ROLE[OrganizationKind(membership.organization.kind)]
    if membership.role == admin_role and role != admin_role and membership.user.is_active:
        ensure_another_active_admin(membership)
    before = {
        "role": membership.role,
        "global_scope": membership.global_scope,
        "location_countries": membership.countries,
    }
    after = {"role": role, "global_scope": global_scope, "location_countries": countries}
    if before != after:
        membership.role, membership.global_scope, membership.countries = (
            role,
            global_scope,
            countries,
        )
        membership.bump_version()
        membership.full_clean()
        membership.save()
        record_event(
            kind="membership.updated",
            obj=membership,
            actor=actor,
            organization=membership.organization,
            data={"user_id": user_id, "before": before, "after": after},
        )
    return membership


@transaction.atomic
def user_deactivate(*, actor: User, user_id: int) -> Membership:
    """A deactivated user can no longer sign in; their tokens stop working with them.

    Only an active admin may deactivate, and never themselves, so the organization always
    keeps that admin: the last-admin rule only needs guarding on role changes."""
    membership = locked_membership(actor=actor, user_id=user_id)
    if membership.user_id == actor.pk:
        raise Conflict(_("You cannot deactivate yourself."), code="cannot_deactivate_self")
    if not membership.user.is_active:
        return membership
    return set_active(membership=membership, actor=actor, active=False)


@transaction.atomic
def user_reactivate(*, actor: User, user_id: int) -> Membership:
    membership = locked_membership(actor=actor, user_id=user_id)
    if membership.user.is_active:
        return membership
    return set_active(membership=membership, actor=actor, active=True)


def set_active(*, membership: Membership, actor: User, active: bool) -> Membership:
    user = membership.user
    user.is_active = active
    user.save(update_fields=["is_active"])
    membership.bump_version()
    membership.save(update_fields=["version", "updated_at"])
    record_event(
        kind="user.reactivated" if active else "user.deactivated",
        obj=user,
        actor=actor,
        organization=membership.organization,
    )
    return membership
