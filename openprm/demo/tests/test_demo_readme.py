"""The README documents every fixed demo login and the one password, as the demo defines them."""

import re
from pathlib import Path

from openprm.demo import catalog
from openprm.demo.generator import FIXED_LOGINS

README = Path(__file__).resolve().parents[3] / "README.md"


def demo_logins_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Demo logins", 1)[1].split("\n## ", 1)[0]


def test_the_readme_lists_every_fixed_login_and_nothing_else():
    documented = re.findall(r"^\| `([^`]+@[^`]+)` \|", demo_logins_section(), flags=re.MULTILINE)
    assert documented == list(FIXED_LOGINS)


def test_the_readme_gives_the_demo_password():
    assert f"`{catalog.PASSWORD}`" in demo_logins_section()
