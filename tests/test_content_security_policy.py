"""Every answer carries the Content-Security-Policy and Referrer-Policy, and no template needs
what that policy refuses: a script in the page itself (tests/browser runs the pages)."""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "openprm"
INLINE_SCRIPT = {
    "a <script> without src": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
    ),
    "an on… event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("url", ["/login/", "/api/v1/docs", "/api/v1/openapi.json", "/nowhere/"])
def test_every_answer_allows_scripts_from_the_site_only(client, db, url):
    response = client.get(url)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_runs_a_script_of_its_own():
    found = [
        f"{path.relative_to(PACKAGE)}: {what}"
        for path in sorted(PACKAGE.glob("**/templates/**/*.html"))
        for what, pattern in INLINE_SCRIPT.items()
        if pattern.search(path.read_text())
    ]
    assert not found, "move it into a static file under openprm/*/static: " + "; ".join(found)
