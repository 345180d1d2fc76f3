"""The catalogs use the product's words as docs/glossary.md fixes them per language."""

import re
from pathlib import Path

import polib
import pytest
from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy

from openprm.dashboard.forms import DateRangeForm
from openprm.goals.models import TaskType
from openprm.referrals.models import STAGE_LABELS

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
LOCALE_DIR = ROOT / "openprm" / "locale"
LANGUAGES = ["ja", "zh_Hant", "th"]
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]|\{\w*\}")
NO_TERM = "—"
CONTEXTS = "Words whose meaning depends on where they stand"


class EmailLabel(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"))


def table(heading: str) -> list[dict[str, str]]:
    """The rows of the Markdown table under a heading, as dicts keyed by its header."""
    section = GLOSSARY.read_text().split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [
        dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
        for line in lines[2:]
    ]


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def uses_term(msgid: str, english: str) -> bool:
    text = PLACEHOLDER.sub(" ", msgid)
    return re.search(rf"\b{re.escape(english)}", text, re.IGNORECASE) is not None


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgstr_plural else [entry.msgstr]


def test_glossary_tables_are_read():
    terms = table("Product terms")
    contexts = table(CONTEXTS)
    assert terms[0]["English"] == "Mutual Action Plan"
    assert terms[0]["ja"] == "相互アクションプラン"
    assert ("task type", "Email", "Eメール") in {
        (row["context"], row["English"], row["ja"]) for row in contexts
    }


def test_term_matching_ignores_placeholders_and_takes_plurals():
    assert uses_term("Mutual Action Plans", "Mutual Action Plan")
    assert uses_term("Your partner development manager", "partner development manager")
    assert not uses_term("Progress towards %(tier)s", "tier")
    assert not uses_term("Frontier", "tier")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_uses_the_glossary_terms(language):
    strays = [
        (row["English"], entry.msgid, text)
        for row in table("Product terms")
        if row[language] != NO_TERM
        for entry in catalog(language).translated_entries()
        if not entry.msgctxt and uses_term(entry.msgid, row["English"])
        for text in translations(entry)
        if row[language] not in text
    ]
    assert not strays, f"{language}: translations that stray from docs/glossary.md: {strays}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_translates_each_meaning_by_its_context(language):
    entries = {(e.msgctxt, e.msgid): e.msgstr for e in catalog(language).translated_entries()}
    wrong = {
        (row["context"], row["English"]): entries.get((row["context"], row["English"]))
        for row in table(CONTEXTS)
        if entries.get((row["context"], row["English"])) != row[language]
    }
    assert not wrong, f"{language}: differs from docs/glossary.md: {wrong}"


@pytest.mark.parametrize(
    ("label", "japanese"),
    [
        (lambda: TaskType.EMAIL.label, "Eメール"),
        (lambda: STAGE_LABELS["created"], "作成"),
        (lambda: DateRangeForm.base_fields["start"].label, "開始日"),
        (lambda: EmailLabel().fields["email"].label, "メール"),
    ],
    ids=["task type", "sales stage", "date range", "address"],
)
def test_each_meaning_shows_its_own_japanese(label, japanese):
    with translation.override("ja"):
        assert str(label()) == japanese
