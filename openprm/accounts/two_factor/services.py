"""Writes for two-factor sign-in: enrolment, the sign-in code, recovery codes, turning it off,
and an organization's requirement. Every refused code counts as a failed sign-in
(openprm.accounts.lockout), so guessing codes meets the same growing wait as guessing passwords."""

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openprm.accounts import lockout
from openprm.accounts.models import User
from openprm.accounts.two_factor import selectors
from openprm.accounts.two_factor.models import TwoFactorRequirement
from openprm.core.errors import Conflict, Forbidden, TooManyRequests, field_error
from openprm.core.events import record_event
from openprm.core.program_settings import record_setting_change
from openprm.core.program_settings import values_of as setting_values

TOTP_DIGITS = 6
RECOVERY_CODE_COUNT = 10
WRONG_CODE = _("That code is wrong or was already used. Enter the current code from your app.")


def normalized_code(code: str) -> str:
    return "".join(str(code or "").split()).lower()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per user, kept until confirmed so
    that reloading the page shows the same QR code."""
    if selectors.is_enrolled(user):
        raise Conflict(str(_("Two-factor sign-in is already on.")), code="two_factor_enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user, name=selectors.RECOVERY_DEVICE_NAME).delete()
    device = StaticDevice.objects.create(user=user, name=selectors.RECOVERY_DEVICE_NAME)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def enrolment_confirm(*, user: User, code: str) -> list[str]:
    """Turns two-factor sign-in on once the app's first code matches; returns the recovery
    codes, which are shown this once."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or selectors.is_enrolled(user):
        raise Conflict(str(_("Two-factor sign-in is already on.")), code="two_factor_enrolled")
    if not device.verify_token(normalized_code(code)):
        raise field_error("code", str(WRONG_CODE), code="wrong_code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    record_event(
        kind="user.two_factor_enabled", obj=user, actor=user, organization=user.organization
    )
    return codes


def code_matches(user: User, code: str) -> str | None:
    """Which kind of code matched ("totp" or "recovery"), consuming it; None for no match."""
    code = normalized_code(code)
    if len(code) == TOTP_DIGITS and code.isdigit():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        return "totp" if device is not None and device.verify_token(code) else None
    recovery = StaticDevice.objects.select_for_update().filter(
        user=user, name=selectors.RECOVERY_DEVICE_NAME
    )
    device = recovery.first()
    return "recovery" if code and device is not None and device.verify_token(code) else None


def sign_in_code_check(*, request: HttpRequest, user: User, code: str) -> None:
    """The second step of signing in. A wrong or replayed code is refused and counted as a
    failed sign-in; an account that must wait is refused before the code is looked at."""
    wait = lockout.retry_after(request, user.email)
    if wait:
        raise TooManyRequests(
            lockout.LOCKED_OUT_MESSAGE,
            retry_after=lockout.whole_seconds(wait),
            code="locked_out",
        )
    with transaction.atomic():
        kind = code_matches(user, code)
    if kind is None:
        lockout.record_failure(user.email)
        raise field_error("code", str(WRONG_CODE), code="wrong_code")
    lockout.clear_failures(user.email)
    if kind == "recovery":
        record_event(
            kind="user.recovery_code_used",
            obj=user,
            actor=user,
            organization=user.organization,
            data={"recovery_codes_left": selectors.recovery_codes_left(user)},
        )


def second_factor_check(*, request: HttpRequest, user: User, code: str) -> None:
    """For the API's token exchange, after a correct password: an enrolled user's code, and
    none for a user who must still enrol (that is done on the setup page)."""
    step = selectors.sign_in_step(user=user)
    if step == "enrol":
        raise Forbidden(
            str(_("Your organization requires two-factor sign-in. Set it up to continue.")),
            code="two_factor_enrolment_required",
        )
    if step == "code" and not normalized_code(code):
        raise field_error("code", str(_("Enter the code from your authenticator app.")))
    if step == "code":
        sign_in_code_check(request=request, user=user, code=code)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not selectors.is_enrolled(user):
        raise Conflict(str(_("Two-factor sign-in is off.")), code="two_factor_off")
    codes = new_recovery_codes(user)
    record_event(
        kind="user.recovery_codes_regenerated",
        obj=user,
        actor=user,
        organization=user.organization,
    )
    return codes


@transaction.atomic
def two_factor_disable(*, user: User, code: str) -> None:
    """Turns it off with a current code, unless the organization requires it."""
    if selectors.is_required(user):
        raise Conflict(
            str(_("Your organization requires two-factor sign-in.")), code="two_factor_required"
        )
    if code_matches(user, code) is None:
        raise field_error("code", str(WRONG_CODE), code="wrong_code")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(
        kind="user.two_factor_disabled", obj=user, actor=user, organization=user.organization
    )


@transaction.atomic
def requirement_set(
    *, user: User, required: bool, partners_required: bool = False
) -> TwoFactorRequirement:
    """A partner admin sets it for its organization; the program admin for the vendor and,
    with `partners_required`, for every partner. Users not yet enrolled must enrol at their
    next sign-in before they reach anything else."""
    requirement = selectors.requirement_get(user=user)
    if not user.is_program_admin and partners_required:
        raise field_error("partners_required", str(_("Only the program admin sets this.")))
    before = setting_values(requirement, ("required", "partners_required"))
    requirement.required = required
    requirement.partners_required = partners_required and user.is_program_admin
    requirement.updated_by = user
    requirement.save()
    record_setting_change(
        kind="organization.two_factor_requirement_changed",
        obj=requirement.organization,
        actor=user,
        organization=requirement.organization,
        before=before,
        after=setting_values(requirement, ("required", "partners_required")),
    )
    return requirement
