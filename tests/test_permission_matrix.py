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
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja import NinjaAPI
from ninja.utils import normalize_path

from openprm.api import api
from openprm.core.tests.urls import api as unlisted_api
from tests.matrix_world import build_world, leaked, load_cast
from tests.permission_matrix import BODIES, BUILDERS, QUERIES, ROLES, ROWS, Cast, Row

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


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The shared data, built once per module in a transaction that is rolled back at its end;
    each case's own transaction (pytest-django's) nests inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def cast(world, db):
    return load_cast(world)


def path_for(row: Row, cast: Cast, actor, own: bool) -> str:
    if row.kind == "page":
        params = next(ps for name, ps, _route in page_routes() if name == row.route)
        return reverse(row.route, kwargs={p: BUILDERS[p](cast, actor, own) for p in params})
    path = API_PARAM.sub(lambda m: str(BUILDERS[m[1]](cast, actor, own)), row.route)
    return API_PREFIX + path


def has_object(row: Row) -> bool:
    return bool(API_PARAM.search(row.route)) or any(
        params for name, params, _route in page_routes() if name == row.route
    )


def cases():
    for row in ROWS:
        for role in ROLES:
            for side in ("own", "other") if has_object(row) else ("own",):
                yield pytest.param(row, role, side, id=f"{row}-{role}-{side}")


def test_a_route_without_an_object_has_one_status_per_role():
    """Such a route is requested once: an "own/other" cell would hold an untested status."""
    split = [
        f"{row} ({role})"
        for row in ROWS
        if not has_object(row)
        for role in ROLES
        if row.own[role] != row.other[role]
    ]
    assert not split, f"one status for routes without an object: {split}"


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
    if row.method != "GET" or not 200 <= expected < 300:
        return
    answers = {"": response}
    answers.update({query: client.get(path + query) for query in QUERIES.get(row.key, ())})
    for query, answer in answers.items():
        assert answer.status_code == expected, f"{row}{query} as {role}: {answer.status_code}"
        shown = leaked(answer.getvalue().decode(errors="replace"), role)
        assert not shown, f"{row}{query} as {role} ({side} organization) shows {shown}"


# Where the markers show to roles that read them: the body checks look where the data is.
SIGHTINGS = [
    ("ZqNorthwindPartnerPrivate", "partner_user", "page GET deals:detail", "own", "?tab=notes"),
    ("ZqNorthwindVendorPrivate", "sales_rep", "api GET /deals/{int:deal_id}/notes", "own",
     "?shared=false"),
    ("ZqTailspinVendorPrivate", "reviewer", "page GET deals:detail", "other", "?tab=notes"),
    ("ZqNorthwindCustomerNote", "user_off_team", "page GET crm:customer-detail", "own", ""),
    ("ZqNorthwindReferralName", "partner_user", "api GET /referrals", "own", ""),
    ("ZqNorthwindTokyoLead", "user_out_of_scope", "page GET referrals:list", "own", ""),
    ("ZqNorthwindTokyoWin", "partner_admin", "page GET referrals:list", "own", "?tab=closed"),
    ("ZqTailspinDealName", "reviewer", "page GET deals:vendor-list", "own", ""),
    ("ZqTailspinContactName", "program_admin", "api GET /contacts", "own", ""),
    ("ZqAliceTokenName", "partner_admin", "page GET accounts:tokens", "own", ""),
]  # fmt: skip


@pytest.mark.parametrize(("marker", "role", "route", "side", "query"), SIGHTINGS)
def test_a_marker_shows_to_a_role_that_reads_it(client, cast, marker, role, route, side, query):
    row = next(row for row in ROWS if str(row) == route)
    actor = cast.actors[role]
    client.force_login(actor, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(path_for(row, cast, actor, own=side == "own") + query)
    assert response.status_code == 200
    assert marker.lower() in response.getvalue().decode().lower()
