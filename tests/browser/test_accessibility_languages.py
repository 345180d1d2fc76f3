"""axe on the main pages in each of the four languages: no serious or critical violations.

The signed-in user's language (chosen with the header's switch, which keeps it in their profile
for the user-preferences middleware) is set before each run, so the page is the one a reader in
Tokyo, Taipei or Bangkok gets: its lang attribute, its translated labels and their lengths."""

import pytest
from playwright.sync_api import Page

from tests.browser.accessibility import assert_accessible
from tests.browser.demo_site import (
    PARTNER_ADMIN,
    PROGRAM_ADMIN,
    DemoSite,
    demo,
    northwind_pages,
)
from tests.browser.demo_site import demo_program_defaults as program_defaults

__all__ = ["demo", "program_defaults"]  # the module's fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = ["en", "ja", "zh-hant", "th"]
PAGES = [
    (PARTNER_ADMIN, "/dashboard/"),
    (PARTNER_ADMIN, "/deals/"),
    (PARTNER_ADMIN, "deal"),
    (PARTNER_ADMIN, "/referrals/"),
    (PARTNER_ADMIN, "referral"),
    (PARTNER_ADMIN, "/referrals/new/"),
    (PARTNER_ADMIN, "/goals/"),
    (PARTNER_ADMIN, "/tier/"),
    (PARTNER_ADMIN, "/notifications/"),
    (PARTNER_ADMIN, "/settings/"),
    (PROGRAM_ADMIN, "/dashboard/channel/"),
    (PROGRAM_ADMIN, "/deals/registrations/"),
    (PROGRAM_ADMIN, "/partners/"),
    (PROGRAM_ADMIN, "/settings/audit/"),
]


def choose_language(page: Page, language: str) -> None:
    """The header's language switch, which keeps the choice in the user's profile."""
    with page.expect_navigation():
        page.locator("#language-switcher").select_option(language)


@pytest.fixture(scope="module")
def paths(demo: DemoSite, django_db_blocker) -> dict[str, str]:
    return northwind_pages(django_db_blocker)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("email", "where"), PAGES)
def test_the_page_has_no_serious_accessibility_violation_in_the_language(
    page: Page,
    demo: DemoSite,
    paths: dict[str, str],
    email: str,
    where: str,
    language: str,
):
    demo.sign_in(page, email)
    choose_language(page, language)
    try:
        page.goto(demo.url + paths.get(where, where))
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
    finally:
        # The choice is kept on the user, and the next test signs in in English.
        choose_language(page, "en")
