"""Every input on the accounts pages has a label that names it."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from openprm.accounts import services
from openprm.accounts.roles import Role
from openprm.accounts.tests.test_user_pages import link_in

pytestmark = pytest.mark.django_db


class Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "label" and attributes.get("for"):
            self.labelled.add(str(attributes["for"]))
        if tag in {"input", "select", "textarea"} and attributes.get("type") not in {
            "hidden",
            "submit",
        }:
            self.controls.append(str(attributes.get("id") or attributes.get("name")))


def unlabelled(html: str) -> list[str]:
    parser = Controls()
    parser.feed(html)
    assert parser.controls
    return [control for control in parser.controls if control not in parser.labelled]


@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:settings",
        "accounts:password_change",
        "accounts:tokens",
        "accounts:users",
        "accounts:user_invite",
    ],
)
def test_settings_page_inputs_are_labelled(client, alice, url_name):
    client.force_login(alice)
    assert unlabelled(client.get(reverse(url_name)).content.decode()) == []


def test_user_edit_inputs_are_labelled(client, alice, bob):
    client.force_login(alice)
    page = client.get(reverse("accounts:user_edit", args=[bob.pk])).content.decode()
    assert unlabelled(page) == []


@pytest.mark.parametrize("url_name", ["login", "accounts:password_reset"])
def test_signed_out_page_inputs_are_labelled(client, url_name):
    assert unlabelled(client.get(reverse(url_name)).content.decode()) == []


def test_invitation_accept_inputs_are_labelled(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=alice, email="dora@northwind.example", full_name="Dora", role=Role.PARTNER_ADMIN
        )
    assert unlabelled(client.get(link_in(mailoutbox[0])).content.decode()) == []
