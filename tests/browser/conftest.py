"""Playwright with Debian's Chromium (see STACK-NOTES "Browser tests").

OPENPRM_CHROMIUM names the executable; otherwise `chromium` on PATH. Without one the browser
tests are skipped, except under CI=true, where a skipped browser run is a failure.
"""

import importlib
import os
import shutil

import pytest
from django.apps import apps

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return os.environ.get("OPENPRM_CHROMIUM") or shutil.which("chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = chromium_path()
    if not executable:
        message = "Chromium not found: install Debian's chromium or set OPENPRM_CHROMIUM"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(autouse=True)
def program_defaults(db):
    """The live server needs committed data, so these tests are transactional; the flush
    after each one empties every table, the data migration's currencies included."""
    migration = importlib.import_module(
        "openprm.crm.migrations.0002_default_currencies_and_markets"
    )
    migration.load_defaults(apps, None)


@pytest.fixture
def signed_out_page(page, live_server):
    """A page on the live server, in English until the test chooses otherwise."""
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    return page
