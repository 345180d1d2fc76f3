"""Accessibility checks for browser tests."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = {"serious", "critical"}


def assert_accessible(page: Page) -> None:
    """axe-core (shipped in the wheel, runs offline): no serious or critical violations."""
    violations = Axe().run(page).response["violations"]
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page.url}: " + "; ".join(blocking)
