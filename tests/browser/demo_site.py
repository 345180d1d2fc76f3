"""One live server on the demo program for a whole test module: the demo is loaded once (it takes
seconds), and the module's tests only read it or change what no other test of theirs looks at.

Such a module's tests are marked `django_db` without transactions: the demo is committed before
them, so the server sees it whatever the database, and it replaces the conftest's autouse
`program_defaults`, which the demo loads itself. When the module is done the demo is wiped and
the program defaults are loaded again, as the migrations left them, for the tests that follow."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from openprm.demo.generator import wipe_program_data
from tests.browser.conftest import program_data_loaders

DEMO_PASSWORD = "openprm-demo"
PARTNER_ADMIN = "admin@northwind.example"
PROGRAM_ADMIN = "admin@openprm.example"
PDM = "pdm@openprm.example"
PARTNER_USER = "user@northwind.example"


@dataclass(frozen=True)
class DemoSite:
    url: str

    def sign_in(self, page: Page, email: str, path: str = "/") -> None:
        """Signs in on the login page, then opens `path`."""
        page.set_default_timeout(15_000)
        page.goto(f"{self.url}/login/")
        page.get_by_label(re.compile(r"^Email( \*)?$")).fill(email)
        page.get_by_label(re.compile(r"^Password( \*)?$")).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
        if path != "/":
            page.goto(self.url + path)


def load_program_defaults() -> None:
    for load in program_data_loaders():
        load(apps, None)


def serve_demo(django_db_blocker) -> Iterator[DemoSite]:
    with django_db_blocker.unblock():
        load_program_defaults()
        call_command("demo", scale=0.1, verbosity=0)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield DemoSite(url=server.url)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            wipe_program_data()
            load_program_defaults()
