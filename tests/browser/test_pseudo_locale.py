"""A pseudo-locale run of every main page: nothing English reaches the user without gettext.

The test builds a pseudo catalog from the Japanese one, every translation replaced by
"⟦" + its English + "⟧", compiles it into a temporary folder placed first in LOCALE_PATHS, and
signs in users whose language is Japanese. Each page's visible text (and the attributes people
read or hear) is then scanned: a Latin word outside ⟦…⟧ is English that did not pass through
gettext, unless it is a data value (a name, a code, an address) stored in the demo's database.
Django's own catalogs still answer in real Japanese, which has no Latin words to flag.
"""

import re
import zoneinfo
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.db import models
from django.test import Client, override_settings

from openprm.accounts.models import User
from openprm.crm.models import OpportunityKind
from openprm.crm.selectors import customer_search
from openprm.referrals.models import SolutionType
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

LOCALE_DIR = Path(__file__).resolve().parents[2] / "openprm" / "locale"
OPEN, CLOSE = "⟦", "⟧"
PSEUDO_LANGUAGE = "ja"
# Attributes people read (or hear, through a screen reader).
READABLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
HIDDEN_TAGS = {"script", "style", "template", "noscript"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
# Names that stay as they are in every language, with the reason.
BRAND_NAMES = {
    "OpenPRM",  # the product's name
    "CSV",  # file formats are named alike in every language
    "XLSX",
    "PDF",
    "API",
    "URL",
    "ID",
    "DUNS",  # the Dun & Bradstreet number's name
    "HMAC",
    "SHA",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")
INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
# Codes and values people type or the program generates: emails, addresses, currency and country
# codes, references such as "REF-00012" or "SPRING-26", ISO dates and times.
DATA_PATTERNS = [
    re.compile(r"\S+@\S+"),
    re.compile(r"https?://\S*"),
    re.compile(r"\b[A-Z]{2,4}\b"),
    re.compile(r"\b[A-Z][A-Z0-9]*-[A-Z0-9-]+\b"),
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM|am|pm)?\b"),
    re.compile(r"\bUTC\b"),
    # IANA timezone identifiers in the timezone picker ("America/Argentina/Buenos_Aires").
    re.compile(r"\b[A-Z][A-Za-z_-]+(?:/[A-Za-z_-]+)+\b"),
]
# The language picker names each language in itself, as people look for their own.
NATIVE_LANGUAGE_NAMES = {"English"}


def pseudo_catalog(target: Path) -> None:
    """The Japanese catalog's entries, each translation replaced by its bracketed English."""
    source = polib.pofile(str(LOCALE_DIR / "ja" / "LC_MESSAGES" / "django.po"))
    catalog = polib.POFile()
    catalog.metadata = dict(source.metadata)
    for entry in source:
        if entry.obsolete:
            continue
        pseudo = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt)
        if entry.msgid_plural:
            pseudo.msgid_plural = entry.msgid_plural
            pseudo.msgstr_plural = {
                index: OPEN + (entry.msgid if index == 0 else entry.msgid_plural) + CLOSE
                for index in (entry.msgstr_plural or {0: ""})
            }
        else:
            pseudo.msgstr = OPEN + entry.msgid + CLOSE
        catalog.append(pseudo)
    folder = target / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog.save_as_mofile(str(folder / "django.mo"))


class VisibleText(HTMLParser):
    """Text nodes a person sees and the attributes they read, without scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hides = tag in HIDDEN_TAGS or "hidden" in values or values.get("aria-hidden") == "true"
        # A hidden element's own nested namesakes close before it does.
        nested = bool(self.hidden) and tag == self.hidden[-1]
        if (hides or nested) and (tag in HIDDEN_TAGS or tag not in VOID_TAGS):
            self.hidden.append(tag)
        if self.hidden:
            return
        self.texts += [value for name, value in attrs if name in READABLE_ATTRIBUTES and value]
        if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
            self.texts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


class FormFields(HTMLParser):
    """What a form would submit as it stands: its inputs' values, checked boxes, chosen options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        name = values.get("name", "")
        kind = values.get("type", "text")
        if tag == "input" and name and kind not in {"submit", "button", "file"}:
            if kind not in {"checkbox", "radio"} or "checked" in values:
                self.values[name] = values.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and values.get("value"):
            if "selected" in values or self.select not in self.values:
                self.values[self.select] = values["value"]
        elif tag == "textarea":
            self.textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data


def stored_values() -> set[str]:
    """Every text the demo's database holds: names, titles, notes, addresses, what users typed."""
    values: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            values.update(" ".join(v.split()) for v in row if isinstance(v, str) and v.strip())
    # The timezone picker lists IANA identifiers ("America/Argentina/Buenos_Aires", "EST5EDT"),
    # which are the same in every language.
    return values | zoneinfo.available_timezones()


def untranslated(html: str, data: set[str]) -> list[str]:
    """Each text with an English word that came neither through gettext nor from the data."""
    parser = VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        if text in NATIVE_LANGUAGE_NAMES:
            continue
        outside = text
        while INNERMOST.search(outside):
            outside = INNERMOST.sub("\n", outside)
        for piece in outside.split("\n"):
            rest = piece.strip()
            if not rest or rest in data:
                continue
            shown = [d for d in data if len(d) > 2 and d in rest]
            for name in sorted(shown, key=len, reverse=True):
                rest = rest.replace(name, " ")
            for pattern in DATA_PATTERNS:
                rest = pattern.sub(" ", rest)
            words = [w for w in WORD.findall(rest) if w not in BRAND_NAMES and len(w) > 1]
            if words:
                found.append(text)
                break
    return sorted(set(found))


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory, demo: DemoSite) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("pseudo-locale")
    pseudo_catalog(folder)
    with override_settings(LOCALE_PATHS=[folder, LOCALE_DIR]):
        yield


@pytest.fixture(scope="module")
def data(demo: DemoSite, django_db_blocker) -> set[str]:
    with django_db_blocker.unblock():
        return stored_values()


@pytest.fixture(scope="module")
def paths(demo: DemoSite, django_db_blocker) -> dict[str, str]:
    """Where each page is; the deal and the referral are Northwind's own."""
    return northwind_pages(django_db_blocker)


PARTNER_PAGES = [
    "/dashboard/",
    "/deals/",
    "deal",
    "/referrals/",
    "referral",
    "/referrals/new/",
    "/goals/",
    "/tier/",
    "/tier/breakdown/",
    "/notifications/",
    "/notifications/preferences/",
    "/settings/",
    "/settings/password/",
    "/settings/users/",
    "/settings/tokens/",
    "/settings/privacy/",
    "/customers/",
    "/contacts/",
    "/dashboard/saved-reports/",
    "/dashboard/lists/",
    "/dashboard/exports/",
    "/imports/",
    "/imports/new/",
    "/deals/settings/communication/",
    "/referrals/settings/crm-stages/",
]
PROGRAM_PAGES = [
    "/dashboard/",
    "/dashboard/channel/",
    "/deals/vendor/",
    "/deals/registrations/",
    "/referrals/vendor/",
    "/referrals/campaigns/",
    "/goals/portfolio/",
    "/partners/",
    "/partners/new/",
    "/settings/users/",
    "/settings/webhooks/",
    "/settings/webhooks/new/",
    pytest.param(
        "/settings/audit/",
        marks=pytest.mark.xfail(
            strict=True,
            reason="67 models have no translatable verbose_name (their names label the audit "
            "log's objects) and the events' detail keys are shown raw: both need model and "
            "audit-entry changes beyond this check",
        ),
    ),
    "/notifications/",
]


def client_for(email: str, django_db_blocker) -> Client:
    with django_db_blocker.unblock():
        user = User.objects.get(email=email)
        User.objects.filter(pk=user.pk).update(language=PSEUDO_LANGUAGE)
    client = Client()
    client.force_login(user)
    return client


def check(client: Client, path: str, data: set[str], django_db_blocker) -> None:
    with django_db_blocker.unblock():
        response = client.get(path, follow=True)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    english = untranslated(response.content.decode(), data)
    assert not english, f"{path} shows untranslated text: {english}"


def next_step(client: Client, step: str, data: set[str], changes: dict[str, str]) -> str:
    """Checks the wizard's step, then answers it as it stands with `changes`: the next step."""
    response = client.get(f"/referrals/new/?step={step}")
    page = response.content.decode()
    english = untranslated(page, data)
    assert not english, f"the wizard's {step} step shows untranslated text: {english}"
    fields = FormFields()
    fields.feed(page)
    answer = client.post("/referrals/new/", {**fields.values, **changes, "step": step})
    errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]*)', answer.content.decode())
    assert answer.status_code == 302, f"{step} was not accepted: {errors}"
    return answer["Location"]


def test_every_step_of_the_new_deal_wizard_has_no_untranslated_text(
    pseudo_locale, data, django_db_blocker
):
    client = client_for(PARTNER_ADMIN, django_db_blocker)
    with django_db_blocker.unblock():
        user = User.objects.get(email=PARTNER_ADMIN)
        customer = customer_search(user=user).first()
        solution_type = SolutionType.objects.first()
    assert customer is not None
    assert solution_type is not None
    steps: dict[str, dict[str, str]] = {
        "customer": {
            "deal_type": OpportunityKind.SOLUTION_ASSESSMENT,
            "customer": str(customer.pk),
        },
        "contact": {
            "contact_name": "Yui Sato",
            "contact_phone": "+81 3 1234 5678",
            "contact_email": "yui@sakura.example",
            "specialist_memo": "SAP on premises.",
            "consent": "on",
        },
        "details": {
            "name": "Sakura cloud assessment",
            "value": "48000",
            "estimated_close_date": "2099-03-31",
            "notes": "Met their CIO at the Tokyo expo.",
        },
        "team": {"team-0-phone": "+81 3 5555 0100"},
        "solution": {"solution_type": str(solution_type.pk)},
    }
    typed = data | {str(value) for changes in steps.values() for value in changes.values()}
    for step, changes in steps.items():
        assert next_step(client, step, typed, changes).endswith(f"?step={step}") is False
    review = client.get("/referrals/new/?step=review").content.decode()
    assert not untranslated(review, typed)


@pytest.mark.parametrize("page", PARTNER_PAGES)
def test_a_partner_admins_page_has_no_untranslated_text(
    pseudo_locale, paths, data, django_db_blocker, page: str
):
    client = client_for(PARTNER_ADMIN, django_db_blocker)
    check(client, paths.get(page, page), data, django_db_blocker)


@pytest.mark.parametrize("page", PROGRAM_PAGES)
def test_a_program_admins_page_has_no_untranslated_text(
    pseudo_locale, paths, data, django_db_blocker, page: str
):
    client = client_for(PROGRAM_ADMIN, django_db_blocker)
    check(client, page, data, django_db_blocker)
