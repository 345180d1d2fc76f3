"""Screenshots for docs/: taken only with OPENPRM_DOC_SCREENSHOTS=1, into docs/images/, so that
an ordinary test run leaves the committed images alone."""

import os
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def doc_screenshot(target: Page | Locator, name: str, at: Locator | None = None) -> None:
    """The visible part of a page, or one element of it, as docs/images/<name>.png; `at`
    scrolls the page to that element first (the page's top otherwise).

    Chromium now and then refuses a capture while the page is still settling: one retry."""
    if not os.environ.get("OPENPRM_DOC_SCREENSHOTS"):
        return
    IMAGES.mkdir(exist_ok=True)
    page = target if isinstance(target, Page) else target.page
    page.wait_for_load_state("networkidle")
    if at is not None:
        at.evaluate("element => element.scrollIntoView({block: 'start'})")
    elif isinstance(target, Page):
        page.evaluate("window.scrollTo(0, 0)")
    path = str(IMAGES / f"{name}.png")
    try:
        target.screenshot(path=path)
    except PlaywrightError:
        page.wait_for_timeout(500)
        target.screenshot(path=path)
