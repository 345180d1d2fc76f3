"""Playwright with Debian's Chromium (see STACK-NOTES "Browser tests").

The live server needs committed data, so browser tests are transactional with serialized
rollback: the flush after a transactional test empties every table, and Django puts back what
the data migrations loaded (currencies, markets, pipeline, rules, sales stages, solution types)
before each browser test.

OPENPRM_CHROMIUM names the executable; otherwise `chromium` on PATH. Without one the browser
tests are skipped, except under CI=true, where a skipped browser run is a failure.
"""

import os
import shutil

import pytest

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


@pytest.fixture
def signed_out_page(page, live_server):
    """A page on the live server, in English until the test chooses otherwise."""
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    return page
