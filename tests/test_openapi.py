"""The OpenAPI document promises what the API does: declared errors and strict bodies.

Every operation declares 404 and 422 (a path or body a client can get wrong), 429 (the rate
limits) and, unless it is public like the token exchange, 401. Every request body rejects
unknown properties.
"""

import json
import re
from collections import defaultdict

import pytest
from django.apps import apps
from ninja import Schema

ALWAYS = {"404", "422", "429"}
SIGNED_IN = {"401"}
# Operations anyone may call; a new one is a decision to write down here.
PUBLIC = {"POST /api/v1/auth/tokens", "POST /api/v1/partner-applications"}


@pytest.fixture
def document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def resolve(document, schema):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def object_schemas(document, schema, seen=None):
    """The body schema and every object schema nested in it."""
    seen = seen if seen is not None else set()
    schema = resolve(document, schema)
    if id(schema) in seen:
        return
    seen.add(id(schema))
    if schema.get("type") == "object" or "properties" in schema:
        yield schema
    children = list(schema.get("properties", {}).values())
    children += [schema[key] for key in ("items",) if key in schema]
    children += [s for key in ("anyOf", "oneOf", "allOf") for s in schema.get(key, [])]
    for child in children:
        yield from object_schemas(document, child, seen)


def test_the_document_names_no_key_twice(client, db):
    """A response documented in openapi_extra under the string "200" beside ninja's integer 200
    wrote that key twice, and the Swagger UI at /api/v1/docs refused the whole document."""
    repeated = []

    def unique_keys(pairs):
        keys = [key for key, _value in pairs]
        repeated.extend(sorted({key for key in keys if keys.count(key) > 1}))
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=unique_keys)
    assert not repeated


def test_every_operation_declares_its_errors(document):
    missing = {}
    for name, operation in operations(document):
        required = ALWAYS | (SIGNED_IN if operation.get("security") else set())
        lacking = required - operation["responses"].keys()
        if lacking:
            missing[name] = sorted(lacking)
    assert not missing, f"declare **ERRORS in response=: {missing}"


def test_every_error_response_uses_the_one_error_format(document):
    wrong = []
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            schema = response["content"]["application/json"]["schema"]
            if schema.get("$ref", "").rsplit("/", 1)[-1] != "ErrorOut":
                wrong.append(f"{name} {status}")
    assert not wrong, f"error responses not declared as ErrorOut: {wrong}"


def test_every_request_body_rejects_unknown_properties(document):
    loose = []
    for name, operation in operations(document):
        body = operation.get("requestBody", {}).get("content", {})
        for content in body.values():
            for schema in object_schemas(document, content["schema"]):
                if schema.get("additionalProperties") is not False:
                    loose.append(f"{name}: {schema.get('title', '?')}")
    assert not loose, f"request bodies must extend StrictSchema: {loose}"


def test_only_the_declared_operations_are_public(document):
    public = {name for name, operation in operations(document) if not operation.get("security")}
    assert public == PUBLIC


def test_moved_handlers_keep_the_operation_ids_clients_call(document):
    """ninja names an operation after its handler's module; goals' handlers moved into
    sub-domain packages and keep the ids the document published before."""
    ids = {name: operation["operationId"] for name, operation in operations(document)}
    assert ids["GET /api/v1/goal-plans"] == "openprm_goals_api_list_plans"
    assert ids["POST /api/v1/tasks/{task_id}/complete"] == "openprm_goals_task_api_complete_task"


def test_the_docs_page_loads_its_assets_from_the_installation(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assets = re.findall(r'(?:href|src)="([^"]+)"', response.content.decode())
    assert assets
    assert [url for url in assets if "//" in url] == []


def test_every_paginated_list_caps_its_offset(document):
    """ninja's own pagination has no maximum offset; openprm.core.pagination's has."""
    uncapped = [
        name
        for name, operation in operations(document)
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "offset" and "maximum" not in parameter["schema"]
    ]
    assert not uncapped, f"paginate with openprm.core.pagination: {uncapped}"


def product_schemas() -> list[type[Schema]]:
    """Every Schema class of the product (the URL configuration has imported each API)."""
    found, todo = [], [Schema]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            module = subclass.__module__
            if module.startswith("openprm.") and ".tests." not in module:
                found.append(subclass)
    return found


def test_no_two_schemas_share_a_name(document):
    """The document keeps one component per class name, so a second class of that name silently
    documents the first one's operations (POST /contacts showed the referral's contact)."""
    by_name = defaultdict(set)
    for schema in product_schemas():
        by_name[schema.__name__].add(f"{schema.__module__}.{schema.__qualname__}")
    shared = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    assert not shared, f"rename one of each: {shared}"


# Fields of these names outside the list below take free text.
FREE_TEXT = {
    "ReasonIn.reason", "ExtensionDecisionIn.reason", "RegistrationOut.reason", "ErasureIn.reason",
    "ErasureOut.reason", "RejectionIn.reason",
}  # fmt: skip
# Names the API gives to fields of a fixed list that no model field of that name holds.
API_ENUM_NAMES = {"deal_type", "from_state", "to_state", "allowed_actions", "direction"}


def enum_like_names() -> set[str]:
    """Every model field with choices names an enum-like field; countries have their pattern."""
    names = {
        field.name
        for model in apps.get_models()
        if model.__module__.startswith("openprm.")
        for field in model._meta.get_fields()
        if getattr(field, "choices", None) and not field.is_relation
    }
    return (names - {"country", "history_type"}) | API_ENUM_NAMES


def has_enum(document, schema) -> bool:
    schema = resolve(document, schema)
    if "enum" in schema or "const" in schema:
        return True
    if schema.get("type") == "array":
        return has_enum(document, schema.get("items", {}))
    if any(has_enum(document, part) for part in schema.get("allOf", [])):
        return True  # an enum with a default is written {"allOf": [{"$ref": …}], "default": …}
    choices = [c for c in schema.get("anyOf", []) if resolve(document, c) != {"type": "null"}]
    return bool(choices) and all(has_enum(document, choice) for choice in choices)


def test_every_enum_like_field_lists_its_values(document):
    names = enum_like_names()
    fields = [
        (f"{title}.{name}", prop)
        for title, schema in document["components"]["schemas"].items()
        for name, prop in schema.get("properties", {}).items()
    ]
    fields += [
        (f"{operation_name} ?{parameter['name']}", parameter["schema"])
        for operation_name, operation in operations(document)
        for parameter in operation.get("parameters", [])
    ]
    loose = [
        where
        for where, schema in fields
        if re.split(r"[.?]", where)[-1] in names
        and where not in FREE_TEXT
        and not has_enum(document, schema)
    ]
    assert not loose, f"annotate with the TextChoices class or a Literal: {loose}"
