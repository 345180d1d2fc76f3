"""Helpers for two-factor tests: enrol a user as the setup page does, and compute the codes an
authenticator app would show, with django-otp itself."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openprm.accounts.two_factor import services


def current_code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Enrolment uses up the current code: a sign-in test moves the clock on a step first."""
    device = services.totp_device_pending(user=user)
    codes = services.enrolment_confirm(user=user, code=current_code(device))
    device.refresh_from_db()
    return device, codes
