"""The "remember this device" choice: a signed cookie that skips the code in this browser.

It names the user and is bound to their password and their authenticator's key, so a new
password, a new enrolment or turning two-factor off forgets every remembered browser."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from openprm.accounts.models import User
from openprm.accounts.two_factor import selectors

COOKIE_NAME = "openprm_two_factor_remembered"
SALT = "openprm.accounts.two_factor.remember"


def lifetime() -> timedelta:
    return timedelta(days=settings.OPENPRM_TWO_FACTOR_REMEMBER_DAYS)


def fingerprint(user: User) -> str:
    device = selectors.confirmed_totp(user)
    key = device.key if device else ""
    return salted_hmac(SALT, f"{user.pk}:{user.password}:{key}").hexdigest()


def remember(response: HttpResponse, user: User) -> None:
    value = signing.dumps({"user": user.pk, "fingerprint": fingerprint(user)}, salt=SALT)
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=int(lifetime().total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_remembered(request: HttpRequest, user: User) -> bool:
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return False
    try:
        remembered = signing.loads(value, salt=SALT, max_age=lifetime())
    except signing.BadSignature:
        return False
    return remembered.get("user") == user.pk and constant_time_compare(
        str(remembered.get("fingerprint", "")), fingerprint(user)
    )
