"""The layering of STYLE.md, checked: accounts, crm and notifications import no feature app,
in Python or through the template tag libraries their templates load; privacy, which finds a
person across crm and referrals, sits above every app and none imports it."""

import ast
import re
from pathlib import Path

import pytest
from django.template import engines

OPENPRM = Path(__file__).resolve().parent.parent / "openprm"
FEATURES = ("goals", "deals", "referrals", "points", "dashboard", "privacy")
FOUNDATIONS = ("accounts", "crm", "notifications")
APPS = {path.name for path in OPENPRM.iterdir() if (path / "apps.py").exists()}
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def is_feature(module: str) -> bool:
    return any(module == f"openprm.{f}" or module.startswith(f"openprm.{f}.") for f in FEATURES)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("app", FOUNDATIONS)
def test_the_app_imports_no_feature_app(app):
    offending = {
        f"{path.relative_to(OPENPRM)}: {module}"
        for path in (OPENPRM / app).rglob("*.py")
        if "tests" not in path.parts
        for module in imported_modules(path)
        if is_feature(module)
    }
    assert not offending


@pytest.mark.parametrize("app", FOUNDATIONS)
def test_the_apps_templates_load_no_feature_apps_tag_library(app):
    libraries = engines["django"].engine.libraries  # type: ignore[attr-defined]
    offending = {
        f"{path.relative_to(OPENPRM)}: {name}"
        for path in (OPENPRM / app / "templates").rglob("*.html")
        for load in LOAD.findall(path.read_text(encoding="utf-8"))
        for name in load.split()
        if is_feature(libraries.get(name, ""))
    }
    assert not offending


def test_no_app_imports_privacy():
    """The site's own modules (api.py, urls.py) mount it; no app depends on it."""
    offending = {
        f"{path.relative_to(OPENPRM)}: {module}"
        for path in OPENPRM.rglob("*.py")
        if "tests" not in path.parts and path.relative_to(OPENPRM).parts[0] in APPS - {"privacy"}
        for module in imported_modules(path)
        if module == "openprm.privacy" or module.startswith("openprm.privacy.")
    }
    assert not offending
