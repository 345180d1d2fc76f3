"""The Content-Security-Policy in a real browser: the main pages, their charts and scripts, and
the API docs work under it, and the browser reports no violation on any of them."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD, MembershipFactory
from openprm.crm.tests.factories import CustomerFactory
from openprm.goals.tests.factories import GoalPlanFactory
from openprm.points.rules import add_months
from openprm.points.tests.factories import certify, manage, sell
from openprm.points.tiers import services as tier_services
from openprm.referrals.tests.factories import vet
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page's document reports, also those the console would not show.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


class ViolationWatch:
    def __init__(self, page: Page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self.read_console)

    def read_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def assert_none(self) -> None:
        self.page.wait_for_load_state("load")
        reported = self.page.evaluate("window.cspViolations")
        assert not reported, f"{self.page.url}: {reported}"
        assert not self.console, f"{self.page.url}: {self.console}"


@pytest.fixture(autouse=True)
def referral_program(program_defaults):
    """The referral wizard needs the solution types its migration loads (see test_referrals)."""
    migration = importlib.import_module(
        "openprm.referrals.migrations.0002_sales_stages_and_solution_types"
    )
    migration.load(apps, None)


@pytest.fixture
def northwind_admin(northwind, pam):
    today = timezone.localdate()
    certify(northwind, until=today + dt.timedelta(days=40))
    sell(northwind, mrr_minor=2000_00, closed_on=add_months(today, -3))
    manage(northwind, mrr_minor=8000_00, since=add_months(today, -6))
    tier_services.tier_evaluate(partner=northwind, on=today.replace(day=1))
    vet(northwind)
    return MembershipFactory(
        organization=northwind, role=Role.PARTNER_ADMIN, user__email="admin@northwind.example"
    ).user


def test_the_main_pages_and_the_api_docs_run_without_a_policy_violation(
    signed_out_page: Page, live_server, northwind, northwind_admin
):
    plan = GoalPlanFactory.create(organization=northwind)
    CustomerFactory.create(name="Sakura Foods", country="JP")
    page = signed_out_page
    watch = ViolationWatch(page)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(northwind_admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    page.get_by_role("tab", name="Vendor team").click()
    expect(page.get_by_role("tabpanel", name="Vendor team")).to_be_visible()
    watch.assert_none()

    page.goto(f"{live_server.url}/tier/")
    expect(page.locator("#tier-progress-chart .main-svg").first).to_be_visible()
    assert_accessible(page)
    watch.assert_none()

    page.goto(f"{live_server.url}/goals/plans/{plan.pk}/")
    expect(page.locator("#actual-vs-target .main-svg").first).to_be_visible()
    watch.assert_none()

    page.goto(f"{live_server.url}/referrals/new/")
    page.get_by_label("Solution Assessment").check()
    page.get_by_label("Location").select_option("JP")
    page.get_by_label("Customer name").press_sequentially("Sakura")
    expect(page.get_by_label("Sakura Foods", exact=False).first).to_be_visible()
    watch.assert_none()

    page.goto(f"{live_server.url}/api/v1/docs")
    # Swagger UI renders the whole document (every enum, 133 operations) before its title.
    expect(page.get_by_role("heading", name="OpenPRM API")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("/api/v1/auth/tokens").first).to_be_visible()
    watch.assert_none()


def test_the_language_switcher_changes_the_language_without_an_inline_handler(
    signed_out_page: Page, northwind_admin
):
    page = signed_out_page
    watch = ViolationWatch(page)
    page.reload()
    page.get_by_label("Language").select_option("ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    watch.assert_none()
