"""The architecture of docs/architecture.md, checked: which app may import which, that no app
reaches into another's screens (api, views, forms, urls), that handlers leave the database to
services and selectors, that no domain flow hides in a signal, and that the foundation apps'
templates load no feature's tag library. Tests (`tests/` folders) are outside these rules."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.template import engines

OPENPRM = Path(__file__).resolve().parent.parent / "openprm"
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")

# Every arrow of the picture in docs/architecture.md: an app may import only these apps.
FOUNDATION = {"core", "accounts"}
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "accounts": {"core"},
    "notifications": FOUNDATION,
    "crm": FOUNDATION,
    "goals": FOUNDATION | {"crm", "notifications"},
    "deals": FOUNDATION | {"crm", "notifications"},
    "points": FOUNDATION | {"crm", "notifications"},
    "referrals": FOUNDATION | {"crm", "notifications", "deals"},
    "dashboard": FOUNDATION | {"crm", "notifications", "points"},
    "privacy": FOUNDATION | {"crm", "notifications", "referrals"},
    # Reads the objects the features' events are about, to say what happened to them.
    "webhooks": FOUNDATION | {"crm", "notifications", "goals", "deals", "points", "referrals"},
    # Reads the events every app records; hides the entries about the other side's private notes.
    "audit": FOUNDATION | {"deals"},
    # Writes each row of a file through the services of crm and deals.
    "imports": FOUNDATION | {"crm", "notifications", "deals"},
    "demo": {
        "core",
        "accounts",
        "notifications",
        "crm",
        "goals",
        "deals",
        "points",
        "referrals",
        "dashboard",
    },
}
# The project's own modules: the API and URLconf mount every app's routes; the CLI runs core.
PROJECT_MODULES: dict[str, set[str]] = {
    "api": set(ALLOWED), "urls": {"api"}, "cli": {"core"}, "settings": set(), "wsgi": set(),
}  # fmt: skip
FOUNDATIONS = ("accounts", "crm", "notifications")
# A screen serves one app's pages or API; another app uses its services, selectors and models.
SCREENS = {"api", "views", "forms", "urls", "schemas", "pages", "wizard"}
DATABASE_IN_HANDLERS = re.compile(r"\.objects\b|transaction\.atomic|select_for_update")


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "openprm" else None


def production_files(app: str | None = None) -> Iterator[Path]:
    folder = OPENPRM / app if app else OPENPRM
    for path in folder.rglob("*.py"):
        relative = path.relative_to(OPENPRM).parts
        if "tests" not in relative and "migrations" not in relative:
            yield path


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def apps() -> list[str]:
    return sorted(p.name for p in OPENPRM.iterdir() if (p / "__init__.py").exists())


def test_every_app_has_its_place_in_the_picture():
    assert set(apps()) == set(ALLOWED), "add the app to ALLOWED and to docs/architecture.md"


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_the_app_imports_only_the_apps_below_it(app):
    offending = {
        f"{path.relative_to(OPENPRM)}: {module}"
        for path in production_files(app)
        for module in imported_modules(path)
        if app_of(module) not in (None, app, *ALLOWED[app])
        and not module.startswith("openprm.tests")
    }
    assert not offending


@pytest.mark.parametrize("name", sorted(PROJECT_MODULES))
def test_the_project_modules_import_only_what_they_mount(name):
    offending = {
        module
        for module in imported_modules(OPENPRM / f"{name}.py")
        if app_of(module) not in (None, *PROJECT_MODULES[name])
    }
    assert not offending


def test_no_app_imports_the_demo():
    offending = {
        f"{path.relative_to(OPENPRM)}: {module}"
        for path in production_files()
        if path.relative_to(OPENPRM).parts[0] != "demo"
        for module in imported_modules(path)
        if app_of(module) == "demo"
    }
    assert not offending


def is_screen(module: str) -> bool:
    return any(part in SCREENS for part in module.split(".")[2:])


def test_no_app_imports_another_apps_screens():
    offending = {
        f"{path.relative_to(OPENPRM)}: {module}"
        for path in production_files()
        if len(path.relative_to(OPENPRM).parts) > 1
        for module in imported_modules(path)
        if app_of(module) not in (None, "core", path.relative_to(OPENPRM).parts[0])
        and is_screen(module)
    }
    assert not offending


HANDLER_MODULES = {"api", "views", "pages", "wizard"}


def handler_files() -> Iterator[Path]:
    return (path for path in production_files() if path.stem in HANDLER_MODULES)


def test_handlers_leave_the_database_to_services_and_selectors():
    offending = {
        str(path.relative_to(OPENPRM))
        for path in handler_files()
        if path != OPENPRM / "core" / "api.py"
        and DATABASE_IN_HANDLERS.search(path.read_text(encoding="utf-8"))
    }
    assert not offending


def test_no_domain_flow_runs_in_a_signal():
    signal_use = re.compile(r"@receiver\b|\b(?:pre|post)_(?:save|delete)\b|m2m_changed")
    offending = {
        str(path.relative_to(OPENPRM))
        for path in production_files()
        if signal_use.search(path.read_text(encoding="utf-8"))
    }
    assert not offending


def is_feature(module: str) -> bool:
    return app_of(module) not in (None, "core", *FOUNDATIONS)


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


def test_a_forbidden_import_is_found(tmp_path):
    module = tmp_path / "services.py"
    module.write_text("from openprm.deals.api import DealOut\nimport openprm.crm.selectors\n")
    found = imported_modules(module)
    assert "openprm.deals.api.DealOut" in found
    assert is_screen("openprm.deals.api")
    assert not is_screen("openprm.deals.selectors")
    assert app_of("openprm.crm.selectors") == "crm"
