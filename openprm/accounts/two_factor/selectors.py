"""Reads for two-factor sign-in: a user's devices and whether their organization requires it."""

from typing import Any

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from openprm.accounts.models import Organization, User
from openprm.accounts.roles import OrganizationKind
from openprm.accounts.two_factor.models import TwoFactorRequirement
from openprm.core.errors import NotFound

RECOVERY_DEVICE_NAME = "recovery codes"


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()


def recovery_codes_left(user: User) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


def requirement_for(organization: Organization) -> TwoFactorRequirement:
    """The organization's row, or an unsaved one that requires nothing."""
    found = TwoFactorRequirement.objects.filter(organization=organization).first()
    return found or TwoFactorRequirement(organization=organization)


def is_required(user: User) -> bool:
    """Required by the user's own organization, or, for a partner's user, by the program admin
    for every partner."""
    organization = user.organization
    if organization is None:
        return False
    if requirement_for(organization).required:
        return True
    return user.is_partner and (
        TwoFactorRequirement.objects.filter(
            organization__kind=OrganizationKind.VENDOR, partners_required=True
        ).exists()
    )


def can_set_requirement(user: User) -> bool:
    return bool(user.is_partner_admin or user.is_program_admin)


def status_get(*, user: User) -> dict[str, Any]:
    """What the two-factor settings page shows."""
    organization = user.organization
    managed = None
    if organization is not None and can_set_requirement(user):
        managed = requirement_for(organization)
    return {
        "enrolled": is_enrolled(user),
        "required": is_required(user),
        "recovery_codes_left": recovery_codes_left(user),
        "requirement": managed,
    }


def requirement_get(*, user: User) -> TwoFactorRequirement:
    """The requirement the user may change: their own organization's, admins only (as the
    Users page, a 404 for everyone else)."""
    if user.organization is None or not can_set_requirement(user):
        raise NotFound()
    return requirement_for(user.organization)


def pending_user_get(*, user_id: int) -> User | None:
    """The user between their password and their code, while still allowed to sign in."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def sign_in_step(*, user: User) -> str | None:
    """After a correct password: "code" for an enrolled user, "enrol" for one whose
    organization requires it and who has no authenticator yet, None to go straight in."""
    if is_enrolled(user):
        return "code"
    return "enrol" if is_required(user) else None
