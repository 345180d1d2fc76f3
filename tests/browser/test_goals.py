"""Seeds 000 and 001 in a real browser: the plan wizard as Northwind's partner admin, the
progress table and its "Quarterly" view, then an action task in "Go to market"."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD, MembershipFactory
from openprm.goals.models import ActionTask, GoalPlan, QuarterlyReview
from openprm.goals.tests.factories import GoalPlanFactory, won_on
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def northwind_admin(northwind, pam):
    return MembershipFactory(
        organization=northwind, role=Role.PARTNER_ADMIN, user__email="admin@northwind.example"
    ).user


def test_partner_admin_walks_the_plan_wizard_and_sees_progress(
    signed_out_page: Page, northwind_admin, northwind
):
    year = dt.date.today().year
    for day in (10, 11):
        won_on(dt.date(year - 1, 3, day), organization=northwind, mrr_minor=10_000)
    page = signed_out_page
    page.get_by_label("Email").fill("admin@northwind.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Mutual Action Plan"
    ).click()
    page.get_by_role("link", name="Set goals for this year").click()

    # Step 1: the company goals, then "Next".
    page.get_by_label("Revenue goal").fill("Increase revenue by 20% in the next 12 months.")
    page.get_by_label("Market goal").fill("Expand into Japan.")
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()

    # Step 2: "Apply growth percentage" fills the grid from last year's actuals.
    expect(page.get_by_text("Step 2 of 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Apply growth percentage").select_option("10")
    page.get_by_role("button", name="Apply growth percentage").click()
    expect(page.get_by_label("Sourced deals closed won, March")).to_have_value("2")
    expect(page.get_by_label("Sourced deal MRR, March")).to_have_value("220.00")
    page.get_by_label("Sourced deals closed won, June").fill("3")
    page.get_by_role("button", name="Save and exit").click()

    # The plan: the progress table, monthly by default, and the "Quarterly" view.
    expect(page.get_by_role("heading", name="Goals", exact=True)).to_be_visible()
    won = page.locator("table", has=page.get_by_text("Sourced deals closed won", exact=True))
    expect(won.get_by_role("columnheader", name="Mar")).to_be_visible()
    targets = won.get_by_role("row", name=re.compile(r"^Target")).get_by_role("cell")
    expect(targets).to_have_text(["0", "0", "2", "0", "0", "3", *["0"] * 6, "5"])
    assert_accessible(page)
    page.get_by_role("link", name="Quarterly", exact=True).click()
    expect(page.get_by_role("link", name="Quarterly", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(won.get_by_role("columnheader", name="Q2")).to_be_visible()
    expect(targets).to_have_text(["2", "3", "0", "0", "5"])
    plan = GoalPlan.objects.get(organization=northwind, year=year)
    assert plan.market_goal == "Expand into Japan."

    # "Go to market": "Create task" > "Create open task".
    page.get_by_role("button", name="Create task").click()
    page.get_by_role("link", name="Create open task").click()
    page.get_by_label("Task title").fill("Call Contoso about the renewal")
    page.get_by_label("Task type").select_option("call")
    page.get_by_label("Priority").select_option("high")
    # The custom date inputs appear only beside "Custom date".
    expect(page.get_by_label("Custom due date")).to_be_hidden()
    page.get_by_label("Due date", exact=True).select_option("custom")
    expect(page.get_by_label("Custom due date")).to_be_visible()
    page.get_by_label("Due date", exact=True).select_option("tomorrow")
    page.get_by_label("Reminder", exact=True).select_option("1h")
    expect(page.get_by_label("Reminder date")).to_be_hidden()
    assert_accessible(page)
    page.get_by_role("button", name="Create task").click()
    expect(page.get_by_role("heading", name="Call Contoso about the renewal")).to_be_visible()
    task = ActionTask.objects.get()
    assert (task.assignee.email, task.task_type, task.reminder) == (
        "admin@northwind.example",
        "call",
        "1h",
    )


def test_plan_and_review_pages_do_not_scroll_sideways_on_a_phone(
    signed_out_page: Page, live_server, northwind_admin, northwind
):
    year = dt.date.today().year
    plan = GoalPlanFactory.create(
        organization=northwind, year=year, targets_set_at=dt.datetime(year, 1, 5, tzinfo=dt.UTC)
    )
    review = QuarterlyReview.objects.create(plan=plan, quarter=1)
    page = signed_out_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Email").fill("admin@northwind.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for path in (f"/goals/plans/{plan.pk}/", f"/goals/reviews/{review.pk}/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
