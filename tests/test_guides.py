"""The user guides (docs/guide-*.md) quote the interface: every phrase they set in bold is a
label the pages show, so a renamed button cannot leave a guide pointing at nothing."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDES = sorted((ROOT / "docs").glob("guide-*.md"))
CATALOG = ROOT / "openprm" / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def labels_in(guide: Path) -> set[str]:
    text = guide.read_text(encoding="utf-8")
    return {re.sub(r"\s+", " ", label) for label in re.findall(r"\*\*(.+?)\*\*", text, re.S)}


def test_there_is_a_guide_per_area():
    names = {guide.name for guide in GUIDES}
    assert {
        "guide-goals.md",
        "guide-shared-deals.md",
        "guide-referrals.md",
        "guide-tiers-and-dashboard.md",
    } <= names


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.name)
def test_every_label_a_guide_quotes_is_one_the_interface_shows(guide: Path):
    messages = set()
    for entry in polib.pofile(str(CATALOG)):
        messages.add(entry.msgid)
        if entry.msgid_plural:
            messages.add(entry.msgid_plural)
    unknown = sorted(labels_in(guide) - messages)
    assert not unknown, f"{guide.name} quotes labels no page shows: {unknown}"


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.name)
def test_every_picture_a_guide_shows_exists(guide: Path):
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", guide.read_text(encoding="utf-8"))
    assert pictures
    missing = [path for path in pictures if not (guide.parent / path).is_file()]
    assert not missing, missing
