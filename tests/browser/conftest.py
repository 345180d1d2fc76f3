"""Playwright with Debian's Chromium (see STACK-NOTES "Browser tests").

OPENPRM_CHROMIUM names the executable; otherwise `chromium` on PATH. Without one the browser
tests are skipped, except under CI=true, where a skipped browser run is a failure.
"""

import os
import shutil

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

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


# Data migrations that fixed data once rather than loading program defaults: they name models
# as they were then, which later migrations moved.
ONE_OFF_DATA_FIXES = {
    ("dashboard", "0002_commission_settlement"),
    ("points", "0004_commissions_from_dashboard"),
}


def program_data_loaders() -> list:
    """The forward functions of OpenPRM's data migrations, in migration order."""
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    plan: dict[tuple[str, str], None] = {}
    for leaf in graph.leaf_nodes():
        plan.update(dict.fromkeys(graph.forwards_plan(leaf)))
    return [
        operation.code
        for key in plan
        if apps.get_app_config(key[0]).name.startswith("openprm")
        for operation in graph.nodes[key].operations
        if isinstance(operation, RunPython) and key not in ONE_OFF_DATA_FIXES
    ]


@pytest.fixture(autouse=True)
def program_defaults(db):
    """The live server needs committed data, so these tests are transactional; the flush
    after each one empties every table, the data migrations' program defaults included
    (currencies, markets, pipeline, rules, sales stages, solution types), so they are loaded
    again. Each loader leaves data that is already there alone."""
    for load in program_data_loaders():
        load(apps, None)


@pytest.fixture
def signed_out_page(page, live_server):
    """A page on the live server, in English until the test chooses otherwise."""
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    return page
