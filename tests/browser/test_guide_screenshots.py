"""The user guides' procedures (docs/guide-*.md) on the demo program, in the seeds' order, each
step by the labels the guides quote. With OPENPRM_DOC_SCREENSHOTS=1 the tests also save the
guides' pictures as docs/images/guide-*.png (1280 x 800, the visible part or one element)."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from openprm.accounts.models import Organization, User
from openprm.crm.models import Customer
from openprm.goals.models import GoalPlan, TargetChange
from openprm.referrals.sending.services import referral_send
from tests.browser.demo_site import DEMO_PASSWORD, PARTNER_ADMIN
from tests.browser.screenshots import doc_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NORTHWIND = "Northwind Traders"


@pytest.fixture
def demo(program_defaults, signed_out_page: Page) -> Page:
    call_command("demo", scale=0.1, verbosity=0)
    signed_out_page.set_viewport_size({"width": 1280, "height": 800})
    return signed_out_page


def field(page: Page | Locator, label: str) -> Locator:
    """The input of this label exactly, whether or not a required mark follows it."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def sign_in(page: Page, email: str = PARTNER_ADMIN) -> None:
    field(page, "Email").fill(email)
    field(page, "Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def go_to(page: Page, label: str) -> None:
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("link", name=label, exact=True).click()


def test_goals_guide_sets_this_years_goals_and_creates_a_task(demo: Page):
    """docs/guide-goals.md: seeds 000 and 001, on a year Northwind has not planned yet."""
    plans = GoalPlan.objects.filter(organization__name=NORTHWIND, year=timezone.localdate().year)
    TargetChange.objects.filter(plan__in=plans).delete()
    plans.delete()
    page = demo
    sign_in(page)
    go_to(page, "Mutual Action Plan")
    doc_screenshot(page.get_by_role("region", name="Set your partner goals"), "guide-goals-start")
    page.get_by_role("link", name="Set goals for this year").click()

    field(page, "Organizational goal").fill("Open a second office in Osaka within 12 months.")
    field(page, "Revenue goal").fill("Increase revenue by 20% in the next 12 months.")
    field(page, "People goal").fill("Hire a new sales rep in the next 6 months.")
    field(page, "Market goal").fill("Expand into the public sector.")
    field(page, "Partnership goal").fill("Reach the next tier in the next 3 months.")
    doc_screenshot(page, "guide-goals-company-goals")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Step 2 of 2")).to_be_visible()
    field(page, "Apply growth percentage").select_option("10")
    page.get_by_role("button", name="Apply growth percentage").click()
    doc_screenshot(page, "guide-goals-targets")
    page.get_by_role("button", name="Save and exit").click()

    expect(page.get_by_role("heading", name="Goals", exact=True)).to_be_visible()
    doc_screenshot(page, "guide-goals-progress")
    page.get_by_role("button", name="Create task").click()
    doc_screenshot(
        page, "guide-goals-create-task", at=page.get_by_role("region", name="Go to market")
    )
    page.get_by_role("link", name="Create open task").click()
    field(page, "Task title").fill("Plan the spring webinar with the PDM")
    field(page, "Task type").select_option(label="To-do")
    field(page, "Priority").select_option(label="High")
    field(page, "Due date").select_option(label="In 2 weeks")
    field(page, "Reminder").select_option(index=1)
    field(page, "Task notes").fill("Pick two customer stories.")
    doc_screenshot(page, "guide-goals-task")
    page.get_by_role("button", name="Create task").click()
    expect(page.get_by_role("heading", name="Plan the spring webinar with the PDM")).to_be_visible()


def test_shared_deals_guide_creates_a_deal_and_writes_notes(demo: Page):
    """docs/guide-shared-deals.md: seed 002 from the deals list's "New deal"."""
    customer = Customer.objects.filter(name__startswith="Redwood").first()
    assert customer is not None
    page = demo
    sign_in(page)
    go_to(page, "Deals")
    expect(page.get_by_role("heading", name="Shared deals")).to_be_visible()
    doc_screenshot(page, "guide-deals-list")
    page.get_by_role("link", name="New deal").click()
    field(page, "Customer").fill(customer.name)
    page.get_by_role("button", name="Search").click()
    doc_screenshot(page, "guide-deals-new")
    page.get_by_role("link", name=f"Choose {customer.name}").click()

    field(page, "Deal name").fill("Redwood service desk rollout")
    field(page, "Amount").fill("24000")
    field(page, "Currency").select_option("USD")
    field(page, "MRR").fill("2000")
    field(page, "Close date").fill((timezone.localdate() + dt.timedelta(days=60)).isoformat())
    field(page, "Product interest").select_option(label="Contoso Service Desk")
    doc_screenshot(page, "guide-deals-details")
    page.get_by_role("button", name="Next").click()
    field(page, "Introduction note").fill("Met their IT lead at the partner summit.")
    field(page, "Specific pain/opportunity defined").fill("Tickets lost between inboxes.")
    field(page, "Next steps").fill("Demo of the service desk next week.")
    page.get_by_role("button", name="Create shared deal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redwood service desk rollout")
    doc_screenshot(page, "guide-deals-deal")

    page.get_by_text("Add shared message").click()
    field(page, "Message").fill("The customer wants to start next month.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("The customer wants to start next month.")).to_be_visible()
    page.get_by_role("link", name="Notes", exact=True).click()
    page.get_by_text("Create note").first.click()
    field(page, "Note").fill("Our margin is thin here.")
    doc_screenshot(page, "guide-deals-notes")
    page.get_by_role("button", name="Create note").click()
    page.get_by_role("link", name="Notes", exact=True).click()
    expect(page.get_by_text("Our margin is thin here.")).to_be_visible()


def test_tier_and_dashboard_guide_reads_the_dashboard_tier_and_exports(demo: Page):
    """docs/guide-tiers-and-dashboard.md: seed 003."""
    page = demo
    sign_in(page)
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    doc_screenshot(page, "guide-dashboard")
    page.get_by_test_id("figure-closed_won").click()
    page.get_by_role("button", name="Export unsummarized data").click()
    dialog = page.get_by_role("dialog", name="Export unsummarized data")
    field(dialog, "Export name").fill("Closed-won deals")
    dialog.get_by_label("CSV").check()
    doc_screenshot(page, "guide-dashboard-export")
    with page.expect_download() as download:
        dialog.get_by_role("button", name="Export", exact=True).click()
    assert download.value.suggested_filename.endswith(".csv")
    dialog.get_by_role("button", name="Close").click()
    go_to(page, "Tier")
    expect(page.get_by_test_id("credited-tier")).to_be_visible()
    doc_screenshot(page, "guide-tier")
    page.get_by_role("link", name="Points Breakdown").click()
    doc_screenshot(page, "guide-tier-breakdown")


def test_referrals_guide_creates_a_co_sell_deal_and_accepts_a_received_one(demo: Page):
    """docs/guide-referrals.md: seed 004's wizard, then a referral the vendor sends Northwind."""
    northwind = Organization.objects.get(name=NORTHWIND)
    customer = Customer.objects.filter(country="US", name__startswith="Clearwater").first()
    assert customer is not None
    referral_send(
        actor=User.objects.get(email="rep@openprm.example"),
        partner=northwind,
        customer=customer,
        name=f"Contoso lead: {customer.name}",
        amount_minor=3_600_000,
        currency="USD",
        notes="They asked for a local partner for the rollout.",
    )
    page = demo
    sign_in(page)
    go_to(page, "Co-sell referrals")
    page.get_by_role("link", name="New deal").click()

    page.get_by_label("Co-sell", exact=True).check()
    field(page, "Location").select_option("US")
    field(page, "Customer name").press_sequentially(customer.name[:9])
    page.get_by_label(customer.name, exact=False).first.check()
    doc_screenshot(page, "guide-referrals-customer")
    page.get_by_role("button", name="Select customer").click()

    field(page, "Contact name").fill("Dana Reyes")
    field(page, "Phone").fill("+1 206 555 0100")
    field(page, "Email").fill("dana@clearwater.example")
    page.get_by_label(
        "The customer agreed to share this contact information with the vendor"
    ).check()
    page.get_by_role("button", name="Next").click()

    field(page, "Deal name").fill(f"{customer.name}: service desk")
    field(page, "Location").select_option(index=1)
    field(page, "Estimated value").fill("36000")
    field(page, "Currency").select_option("USD")
    field(page, "Estimated close date").fill(
        (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    )
    field(page, "Notes").fill("Met their CIO at the partner summit.")
    doc_screenshot(page, "guide-referrals-details")
    page.get_by_role("button", name="Next").click()

    field(page, "Phone").first.fill("+1 206 555 0199")
    doc_screenshot(page, "guide-referrals-team")
    page.get_by_role("button", name="Next").click()
    page.get_by_label(re.compile("^I agree that the details above are correct")).check()
    doc_screenshot(page, "guide-referrals-review")
    page.get_by_role("button", name="Create deal").click()
    expect(page.get_by_role("link", name="Outbound")).to_have_attribute("aria-current", "page")
    doc_screenshot(page, "guide-referrals-list")

    page.get_by_role("link", name="Inbound").click()
    page.get_by_role("link", name=f"Contoso lead: {customer.name}").click()
    doc_screenshot(page, "guide-referrals-received")
    page.get_by_role("link", name="Accept").click()
    field(page, "Notes").fill("We will call the customer this week.")
    doc_screenshot(page, "guide-referrals-accept")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted").first).to_be_visible()
