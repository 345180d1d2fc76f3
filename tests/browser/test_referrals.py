"""Co-sell referrals in a real browser, as partners' training material walks through them:
the whole "New deal" wizard for a solution assessment, and declining a received referral."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.crm.tests.factories import CustomerFactory
from openprm.referrals.crm_stages.services import crm_stage_save
from openprm.referrals.lifecycle.services import referral_close
from openprm.referrals.stages.services import referral_mark_stage
from openprm.referrals.tests.factories import create_referral, member, send_referral, vet
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "openprm-demo"


@pytest.fixture(autouse=True)
def referral_program(program_defaults):
    """The flush after each transactional test empties the stage table and solution types
    their migration loaded; load them again."""
    migration = importlib.import_module(
        "openprm.referrals.migrations.0002_sales_stages_and_solution_types"
    )
    migration.load(apps, None)


@pytest.fixture
def northwind_admin(northwind):
    return MembershipFactory.create(
        organization=northwind,
        role=Role.PARTNER_ADMIN,
        user__email="admin@northwind.example",
        user__full_name="Nancy Davolio",
        user__password=DEMO_PASSWORD,
    ).user


def sign_in(page: Page, url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def open_referrals(page: Page) -> None:
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("link", name="Co-sell referrals").click()


def test_the_whole_new_deal_wizard_creates_a_solution_assessment_on_outbound(
    signed_out_page: Page, live_server, northwind, northwind_admin
):
    vet(northwind)
    CustomerFactory.create(
        name="Sakura Foods", country="JP", address="1-1 Marunouchi", city="Tokyo", duns="123456789"
    )
    CustomerFactory.create(name="Sakura Foods America", country="US")
    create_referral(
        actor=northwind_admin,
        team=[member(1, first_name="Kenji", last_name="Mori", email="kenji@northwind.example")],
    )
    page = signed_out_page
    sign_in(page, live_server.url, northwind_admin.email)
    open_referrals(page)
    page.get_by_role("link", name="New deal").click()

    page.get_by_label("Solution Assessment").check()
    page.get_by_label("Location").select_option("JP")
    page.get_by_label("Customer name").press_sequentially("Sakura")
    suggestion = page.get_by_label("Sakura Foods", exact=False).first
    expect(page.get_by_text("1-1 Marunouchi")).to_be_visible()
    expect(page.get_by_text("123456789")).to_be_visible()
    expect(page.get_by_text("Sakura Foods America")).to_have_count(0)
    suggestion.check()
    assert_accessible(page)
    page.get_by_role("button", name="Select customer").click()

    page.get_by_label("Contact name").fill("Yui Sato")
    page.get_by_label("Phone").fill("+81 3 1234 5678")
    page.get_by_label("Email").fill("yui@sakura.example")
    page.get_by_label("Memo for the solution assessment specialist").fill("SAP on premises.")
    page.get_by_label(
        "The customer agreed to share this contact information with the vendor"
    ).check()
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()

    page.get_by_label("Deal name").fill("Sakura cloud assessment")
    page.get_by_label("Location").select_option(label="Tokyo (JP)")
    page.get_by_label("Estimated value").fill("48000")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_label("Estimated close date").fill("2027-03-31")
    page.get_by_label("Marketing campaign ID").fill("SPRING-26")
    page.get_by_label("Notes").fill("Met their CIO at the Tokyo expo.")
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", name="Recent contacts")).to_be_visible()
    page.get_by_role("button", name="Add Kenji Mori").click()
    expect(page.locator("#id_team-0-email")).to_have_value("admin@northwind.example")
    expect(page.locator("#id_team-1-email")).to_have_value("kenji@northwind.example")
    page.locator("#id_team-0-phone").fill("+81 3 5555 0100")
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()

    page.get_by_label("Security assessment").check()
    page.get_by_label("Assessment location").select_option(label="Tokyo (JP)")
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Sakura cloud assessment")).to_be_visible()
    page.get_by_label("I agree that the details above are correct").check()
    assert_accessible(page)
    page.get_by_role("button", name="Create deal").click()

    expect(page.get_by_role("link", name="Outbound")).to_have_attribute("aria-current", "page")
    row = page.get_by_role("row").filter(has_text="Sakura cloud assessment")
    expect(row.get_by_text("Solution Assessment")).to_be_visible()
    expect(row.get_by_role("cell", name="Accepted").first).to_be_visible()
    assert_accessible(page)
    row.get_by_role("link", name="Sakura cloud assessment").click()
    expect(page.get_by_role("button", name="Won")).to_be_disabled()
    expect(page.get_by_text("Secure customer LOE").first).to_be_visible()


def test_declining_a_received_referral_archives_it_on_the_closed_tab(
    signed_out_page: Page, live_server, vendor, northwind, northwind_admin
):
    rep = MembershipFactory.create(
        organization=vendor, role=Role.SALES_REP, user__email="rep@openprm.example"
    ).user
    send_referral(actor=rep, partner=northwind, name="Contoso lead: Hikari Robotics")
    page = signed_out_page
    sign_in(page, live_server.url, northwind_admin.email)
    open_referrals(page)
    expect(page.get_by_role("link", name="Inbound")).to_have_attribute("aria-current", "page")
    row = page.get_by_role("row").filter(has_text="Contoso lead: Hikari Robotics")
    expect(row.get_by_text("Received")).to_be_visible()
    row.get_by_role("link", name="Contoso lead: Hikari Robotics").click()
    expect(page.get_by_text("Expires").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Decline").click()
    page.get_by_label("Reason").select_option(label="No capacity at the moment")
    page.get_by_label("Message").fill("Fully booked until March.")
    assert_accessible(page)
    page.get_by_role("button", name="Decline").click()

    expect(page.get_by_text("Declined", exact=True)).to_be_visible()
    expect(page.get_by_text("Fully booked until March.").first).to_be_visible()
    expect(page.get_by_role("link", name="Accept")).to_have_count(0)
    open_referrals(page)
    expect(page.get_by_text("Contoso lead: Hikari Robotics")).to_have_count(0)
    page.get_by_role("link", name="Closed").click()
    expect(page.get_by_text("Contoso lead: Hikari Robotics")).to_be_visible()


def test_every_referral_page_passes_the_accessibility_check(
    signed_out_page: Page, live_server, vendor, northwind, northwind_admin
):
    rep = MembershipFactory.create(
        organization=vendor, role=Role.SALES_REP, user__email="rep@openprm.example",
        user__password=DEMO_PASSWORD,
    )  # fmt: skip
    received = send_referral(actor=rep.user, partner=northwind)
    accepted = create_referral(actor=northwind_admin, kind="solution_assessment")
    won = create_referral(actor=northwind_admin, kind="solution_assessment", campaign_id="X-1")
    referral_mark_stage(referral=won, actor=northwind_admin, stage="present")
    referral_close(referral=won, actor=northwind_admin, outcome="won", mrr_minor=100)
    crm_stage_save(actor=northwind_admin, name="Proposal", percentage=60)
    page = signed_out_page
    sign_in(page, live_server.url, northwind_admin.email)
    paths = [
        *(f"/referrals/?tab={tab}" for tab in ("inbound", "outbound", "closed")),
        "/referrals/send/",
        "/referrals/campaigns/",
        "/referrals/settings/crm-stages/",
        f"/referrals/{received.pk}/",
        f"/referrals/{received.pk}/accept/",
        f"/referrals/{accepted.pk}/",
        f"/referrals/{accepted.pk}/edit/",
        f"/referrals/{accepted.pk}/team/",
        f"/referrals/{accepted.pk}/lost/",
        f"/referrals/{won.pk}/",
        f"/referrals/{won.pk}/registration/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None, path
        assert response.status == 200, path
        assert_accessible(page)
    sign_in(page, live_server.url, rep.user.email)
    page.goto(f"{live_server.url}/referrals/vendor/")
    expect(page.get_by_role("link", name="Send referral")).to_be_visible()
    assert_accessible(page)
