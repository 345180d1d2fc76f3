"""Every user-facing template literal is marked for translation, and every catalog is complete.

Refresh the catalogs with `.venv/bin/python tools/translations.py` after adding strings.
"""

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType

PACKAGE = Path(__file__).resolve().parent.parent / "openprm"
LOCALE_DIR = PACKAGE / "locale"
LANGUAGES = ["ja", "zh_Hant", "th"]
TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))

# Names that stay as they are in every language.
UNTRANSLATED_WORDS = {"OpenPRM"}
# Attributes people read (or hear, through a screen reader).
READABLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
TEMPLATE_CODE = "\ue000"  # stands in for {{ variables }} and {% tags %}
TRANSLATE_LITERAL = re.compile(r"""^(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)""")


def user_facing(text: str) -> bool:
    words = re.sub(r"[\W\d_]+", " ", text.replace(TEMPLATE_CODE, " ")).split()
    return any(
        word not in UNTRANSLATED_WORDS
        and any(unicodedata.category(c).startswith("L") for c in word)
        for word in words
    )


class LiteralCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.raw_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.raw_depth += 1
        readable = [value for name, value in attrs if name in READABLE_ATTRIBUTES]
        if tag == "input" and dict(attrs).get("type") in {"submit", "button", "reset"}:
            readable.append(dict(attrs).get("value"))
        self.found += [value.strip() for value in readable if value and user_facing(value)]

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.raw_depth = max(0, self.raw_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self.raw_depth and user_facing(data):
            self.found.append(" ".join(data.replace(TEMPLATE_CODE, "…").split()))


def untranslated_literals(source: str) -> list[str]:
    """Text a user would see that no {% translate %} or {% blocktranslate %} covers."""
    html = []
    skip_until = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if skip_until is None and name in {"blocktranslate", "blocktrans", "comment"}:
                skip_until = "end" + name
            elif name == skip_until:
                skip_until = None
            html.append(TEMPLATE_CODE)
        elif token.token_type == TokenType.TEXT and skip_until is None:
            html.append(token.contents)
        elif token.token_type != TokenType.TEXT:
            html.append(TEMPLATE_CODE)
    collector = LiteralCollector()
    collector.feed("".join(html))
    collector.close()
    return collector.found


def translate_literals(source: str) -> set[str]:
    found = set()
    for token in Lexer(source).tokenize():
        match = TRANSLATE_LITERAL.match(token.contents)
        if token.token_type == TokenType.BLOCK and match:
            found.add(match["text"])
    return found


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<button>Save</button>", ["Save"]),
        ('<button>{% translate "Save" %}</button>', []),
        ("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}", []),
        ('<input class="form-control" placeholder="Search">', ["Search"]),
        ('<input type="submit" value="Send">', ["Send"]),
        ('<a class="btn" href="/x/">{{ label }}</a> · {{ count }}', []),
        ('<script>const label = "Save";</script><style>p::after{content:"x"}</style>', []),
        ("{% comment %}Not shown{% endcomment %}{# nor this #}", []),
        ("<p>{{ user }} joined</p>", ["… joined"]),
    ],
)
def test_checker_finds_unmarked_literals(source, expected):
    assert untranslated_literals(source) == expected


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_literals_are_marked_for_translation(template):
    literals = untranslated_literals(template.read_text())
    assert not literals, f"wrap in {{% translate %}} or {{% blocktranslate %}}: {literals}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete(language):
    po = catalog(language)
    todo = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    print(f"{language}: {po.percent_translated()}% of {len(po)} messages translated")
    assert not todo, f"{language}: untranslated or fuzzy messages: {todo}"


PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[sd]")


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    """What msgfmt --check does for python-format, without needing gettext installed."""
    broken = [
        entry.msgid
        for entry in catalog(language).translated_entries()
        if "python-format" in entry.flags
        and any(
            set(PLACEHOLDER.findall(translation)) != set(PLACEHOLDER.findall(entry.msgid))
            for translation in (entry.msgstr_plural or {0: entry.msgstr}).values()
        )
    ]
    assert not broken, f"{language}: placeholders differ from the English in {broken}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_holds_every_template_string(language):
    msgids = {entry.msgid for entry in catalog(language)}
    missing = {text for t in TEMPLATES for text in translate_literals(t.read_text())} - msgids
    assert not missing, f"run tools/translations.py; {language} lacks {sorted(missing)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_source(language):
    po = catalog(language)
    mo = polib.mofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"))
    expected = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo if e.msgid}
    assert compiled == expected, "run tools/compile_messages.py"


@pytest.mark.parametrize(
    ("language", "sign_in"), [("ja", "サインイン"), ("zh-hant", "登入"), ("th", "ลงชื่อเข้าใช้")]
)
def test_pages_render_in_the_chosen_language(client, settings, language, sign_in):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get("/login/").content.decode()
    assert f'<html lang="{language}">' in content
    assert sign_in in content
