"""Accessibility checks for browser tests."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = {"serious", "critical"}
# axe reads colours as they are at that instant: a button just clicked can be halfway through
# Bootstrap's hover transition, whose in-between colours fail the contrast check.
SETTLED_STYLES = "*, *::before, *::after { transition: none !important; }"


def assert_accessible(page: Page) -> None:
    """axe-core (shipped in the wheel, runs offline): no serious or critical violations.

    Checked once the page has loaded: a form just submitted may still be parsing its answer,
    whose document has no head yet to take the settled styles.
    """
    page.wait_for_load_state("load")
    page.add_style_tag(content=SETTLED_STYLES)
    violations = Axe().run(page).response["violations"]
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page.url}: " + "; ".join(blocking)
