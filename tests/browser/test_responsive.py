"""The main pages on the demo program at a desktop width and a phone's: nothing scrolls sideways,
and at the desktop width the header is one line. Each page leaves a screenshot per width in
pytest-playwright's output folder (test-results/, `--output`), for a person to look at."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from openprm.deals.models import Deal
from openprm.referrals.models import Referral
from tests.browser.demo_site import (
    PARTNER_ADMIN,
    PARTNER_USER,
    PDM,
    PROGRAM_ADMIN,
    DemoSite,
    serve_demo,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DESKTOP = 1440
PHONE = 390
HEIGHTS = {DESKTOP: 900, PHONE: 844}
NORTHWIND = "Northwind Traders"


@pytest.fixture
def program_defaults() -> None:
    """The module's demo program brings them."""


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoSite]:
    yield from serve_demo(django_db_blocker)


@pytest.fixture(scope="module")
def paths(demo: DemoSite, django_db_blocker) -> dict[str, str]:
    """Where each page is; the deal and the referral are Northwind's own."""
    with django_db_blocker.unblock():
        deal = Deal.objects.filter(organization__name=NORTHWIND).first()
        referral = Referral.objects.filter(organization__name=NORTHWIND).first()
    assert deal is not None
    assert referral is not None
    return {
        "partner-dashboard": "/dashboard/",
        "channel-dashboard": "/dashboard/channel/",
        "deals": "/deals/",
        "referrals": "/referrals/",
        "goals": "/goals/",
        "deal": f"/deals/{deal.pk}/",
        "referral": f"/referrals/{referral.pk}/",
        "tier": "/tier/",
        "referral-wizard": "/referrals/new/",
        "new-deal": "/deals/new/?q=a",
    }


VIEWER = {"channel-dashboard": PROGRAM_ADMIN}
PAGES = [
    "partner-dashboard",
    "channel-dashboard",
    "deals",
    "referrals",
    "goals",
    "deal",
    "referral",
    "tier",
    "referral-wizard",
    "new-deal",
]

HORIZONTAL_OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [...document.querySelectorAll('main *, nav *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + '.' + String(e.className).trim().replace(/\\s+/g, '.')
      + ' ' + (e.textContent || '').trim().slice(0, 40));
  return {scrollWidth: document.documentElement.scrollWidth, widest: wide};
}"""

HEADER_LINES = """() => {
  const navbar = document.querySelector('nav.navbar > .container-fluid');
  const items = [...navbar.querySelectorAll(':scope > .navbar-brand, .nav-item, :scope > form')]
    .filter(e => e.offsetParent !== null)
    .map(e => e.getBoundingClientRect());
  const lowestTop = Math.max(...items.map(r => r.top));
  const highestBottom = Math.min(...items.map(r => r.bottom));
  return lowestTop < highestBottom ? 1 : 2;
}"""


def open_page(page: Page, demo: DemoSite, paths: dict[str, str], name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    demo.sign_in(page, VIEWER.get(name, PARTNER_ADMIN), paths[name])
    page.wait_for_load_state("networkidle")


def keep_screenshot(page: Page, output_path: str, name: str, width: int) -> None:
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("name", PAGES)
def test_the_page_does_not_scroll_sideways(
    page: Page, demo: DemoSite, paths: dict[str, str], output_path: str, name: str, width: int
):
    open_page(page, demo, paths, name, width)
    keep_screenshot(page, output_path, name, width)
    assert page.evaluate(HORIZONTAL_OVERFLOW) is None


@pytest.mark.parametrize("email", [PARTNER_ADMIN, PARTNER_USER, PROGRAM_ADMIN, PDM])
def test_the_header_is_one_line_on_a_desktop(page: Page, demo: DemoSite, email: str):
    """The header's entries depend on who signs in, not on the page."""
    page.set_viewport_size({"width": DESKTOP, "height": HEIGHTS[DESKTOP]})
    demo.sign_in(page, email)
    assert page.evaluate(HEADER_LINES) == 1
