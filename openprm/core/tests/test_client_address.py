"""The client's address behind OPENPRM_TRUSTED_PROXIES proxies, and what the access log gets."""

import pytest
from django.test import RequestFactory

from openprm.core.client_address import ENVIRON_KEY, client_address
from openprm.core.middleware import LOGGED_PATH_KEY

FORWARDED = "198.51.100.7, 203.0.113.9, 10.0.0.2"


def request_from(remote_addr: str = "10.0.0.1", forwarded_for: str | None = FORWARDED):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return request


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.OPENPRM_TRUSTED_PROXIES = 0
    assert client_address(request_from()) == "10.0.0.1"


def test_behind_one_proxy_the_client_is_the_address_it_appended(settings):
    settings.OPENPRM_TRUSTED_PROXIES = 1
    assert client_address(request_from()) == "10.0.0.2"


def test_behind_two_proxies_the_client_is_what_the_outer_one_appended(settings):
    settings.OPENPRM_TRUSTED_PROXIES = 2
    assert client_address(request_from()) == "203.0.113.9"


def test_addresses_left_of_the_trusted_hops_are_never_the_client(settings):
    settings.OPENPRM_TRUSTED_PROXIES = 1
    spoofed = request_from(forwarded_for="192.0.2.66, 198.51.100.7")
    assert client_address(spoofed) == "198.51.100.7"


def test_fewer_hops_than_proxies_take_the_leftmost(settings):
    settings.OPENPRM_TRUSTED_PROXIES = 3
    assert client_address(request_from(forwarded_for="198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize("forwarded_for", [None, "", "not-an-address", "1.2.3.4:80"])
def test_a_missing_or_malformed_forwarded_address_falls_back_to_the_connection(
    settings, forwarded_for
):
    settings.OPENPRM_TRUSTED_PROXIES = 1
    assert client_address(request_from(forwarded_for=forwarded_for)) == "10.0.0.1"


def test_an_ipv6_client_is_written_in_its_short_form(settings):
    settings.OPENPRM_TRUSTED_PROXIES = 1
    request = request_from(forwarded_for="2001:db8:0:0:0:0:0:1")
    assert client_address(request) == "2001:db8::1"


def test_the_access_log_gets_the_client_and_an_invitation_link_without_its_secret(
    client, settings, db
):
    settings.OPENPRM_TRUSTED_PROXIES = 1
    secret = "Zx9-secret-from-an-invitation-email"
    response = client.get(
        f"/invitations/{secret}/?utm=mail", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=FORWARDED
    )
    environ = response.wsgi_request.META
    assert environ[ENVIRON_KEY] == "10.0.0.2"
    assert environ[LOGGED_PATH_KEY] == "/invitations/[secret]/?utm=mail"
