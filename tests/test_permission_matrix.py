"""The permission matrix: every route has a row, and every row holds for every role.

Enumerated: every URL pattern of openprm.urls and every operation of the NinjaAPI.
Left out of the URL walk, on purpose:
- Django admin's own pages other than its index: admin checks is_staff itself, and
  "Program settings" links only to the index.
- the API's URL patterns: the NinjaAPI is enumerated instead, because it knows the methods;
  its OpenAPI document, its docs page and its root carry no organization data.
- set_language (i18n/): Django's view, it only stores a language choice.
- static and media files.
"""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja import NinjaAPI
from ninja.utils import normalize_path

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.api import api
from openprm.core.tests.urls import api as unlisted_api
from tests.permission_matrix import BODIES, BUILDERS, ROLES, ROWS, Cast, Row

API_PREFIX = "/api/v1"
EXCLUDED_NAMESPACES = {"admin", "api"}
INCLUDED_ADMIN_NAMES = {"admin:index"}
EXCLUDED_NAMES = {"set_language"}
EXCLUDED_PREFIXES = ("static/", "media/")
API_PARAM = re.compile(r"\{(?:\w+:)?(\w+)\}")


def page_routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """(URL name, path parameters, route) for every page of the site."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = ":".join(p for p in (namespace, pattern.namespace or "") if p)
            yield from page_routes(pattern, route, inner)
            continue
        assert isinstance(pattern, URLPattern)
        name = ":".join(p for p in (namespace, pattern.name or "") if p)
        top = namespace.split(":")[0]
        if name in EXCLUDED_NAMES or (
            top in EXCLUDED_NAMESPACES and name not in INCLUDED_ADMIN_NAMES
        ):
            continue
        yield name, list(pattern.pattern.regex.groupindex), route


def api_operations(ninja_api: NinjaAPI = api):
    """(method, path under /api/v1) for every operation of every mounted router."""
    ninja_api.urls  # noqa: B018 -- binds the routers, as Django's URL loading does
    for prefix, router in ninja_api._routers:
        for path, path_view in router.path_operations.items():
            full = "/" + normalize_path("/".join(p for p in (prefix, path) if p)).lstrip("/")
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, full


def pages_without_rows() -> list[str]:
    rows = {row.route for row in ROWS if row.kind == "page"}
    return [
        f"{name or '(unnamed)'} ({route})" for name, _p, route in page_routes() if name not in rows
    ]


def test_every_page_has_a_row():
    missing = pages_without_rows()
    assert not missing, f"pages without a row in tests/permission_matrix.py: {missing}"


@pytest.mark.urls("tests.unlisted_urls")
def test_a_page_without_a_row_is_named():
    assert pages_without_rows() == ["unlisted (unlisted/<int:thing_id>/)", "(unnamed) (nameless/)"]


def operations_without_rows(ninja_api: NinjaAPI = api) -> list[str]:
    rows = {(row.method, row.route) for row in ROWS if row.kind == "api"}
    return [f"{m} {p}" for m, p in api_operations(ninja_api) if (m, p) not in rows]


def test_every_api_operation_has_a_row():
    missing = operations_without_rows()
    assert not missing, f"API operations without a row in tests/permission_matrix.py: {missing}"


def test_an_api_operation_without_a_row_is_named():
    assert operations_without_rows(unlisted_api) == [
        "PUT /organizations/{organization_id}",
        "GET /busy",
        "GET /broken",
    ]


def test_every_row_names_an_existing_route():
    pages = {name for name, _params, _route in page_routes()}
    operations = set(api_operations())
    stale = [
        str(row)
        for row in ROWS
        if (row.kind == "page" and row.route not in pages)
        or (row.kind == "api" and (row.method, row.route) not in operations)
    ]
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_every_path_parameter_has_a_builder():
    params = {p for _name, ps, _route in page_routes() for p in ps}
    params |= {p for _method, path in api_operations() for p in API_PARAM.findall(path)}
    missing = params - BUILDERS.keys()
    assert not missing, f"add builders to tests/permission_matrix.py for: {sorted(missing)}"


@pytest.fixture
def cast(vendor, victor, pam, northwind, tailspin, alice, bob, charlie):
    def staff(role: str, email: str):
        return MembershipFactory(organization=vendor, role=role, user__email=email).user

    actors = {
        "anonymous": None,
        "program_admin": victor,
        "pdm": pam,
        "sales_rep": staff(Role.SALES_REP, "sam@contoso.example"),
        "reviewer": staff(Role.REVIEWER, "rita@contoso.example"),
        "partner_admin": alice,
        "partner_user": bob,
    }
    return Cast(northwind=northwind, tailspin=tailspin, alice=alice, charlie=charlie, actors=actors)


def path_for(row: Row, cast: Cast, actor, own: bool) -> str:
    if row.kind == "page":
        params = next(ps for name, ps, _route in page_routes() if name == row.route)
        return reverse(row.route, kwargs={p: BUILDERS[p](cast, actor, own) for p in params})
    path = API_PARAM.sub(lambda m: str(BUILDERS[m[1]](cast, actor, own)), row.route)
    return API_PREFIX + path


def cases():
    for row in ROWS:
        has_object = bool(API_PARAM.search(row.route)) or any(
            params for name, params, _route in page_routes() if name == row.route
        )
        for role in ROLES:
            for side in ("own", "other") if has_object else ("own",):
                yield pytest.param(row, role, side, id=f"{row}-{role}-{side}")


@pytest.mark.parametrize(("row", "role", "side"), list(cases()))
def test_role_gets_the_declared_status(client, cast, row: Row, role: str, side: str):
    actor = cast.actors[role]
    if actor is not None:
        client.force_login(actor, backend="django.contrib.auth.backends.ModelBackend")
    path = path_for(row, cast, actor, own=side == "own")
    body = BODIES.get(row.key)
    response = client.generic(
        row.method,
        path,
        data=json.dumps(body(cast, actor)) if body else "",
        content_type="application/json",
    )
    expected = (row.own if side == "own" else row.other)[role]
    assert response.status_code == expected, (
        f"{row} as {role} ({side} organization): {response.status_code}, expected {expected}"
    )
