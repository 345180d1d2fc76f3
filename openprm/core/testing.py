"""Test helpers every app's suite uses: query-count guards for list endpoints, the plan of a
list's query, a stored file lost the way a restore without the media folder loses it, and what
a refusal shows (the API's error body, the "Page not found" page), so no test stops at the
status code."""

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.db import connection
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.test.utils import CaptureQueriesContext

if TYPE_CHECKING:
    # The test client's response (with `json()`); the name exists only in django-stubs.
    from django.test.client import _MonkeyPatchedWSGIResponse as ClientResponse

Response = TypeVar("Response")


def count_queries(request: Callable[[], Response]) -> tuple[int, Response]:
    with CaptureQueriesContext(connection) as context:
        response = request()
    return len(context.captured_queries), response


def assert_queries_do_not_grow(
    request: Callable[[], Response], add_rows: Callable[[int], object], rows: int = 3
) -> tuple[Response, Response]:
    """Request a list with `rows` rows and again with three times as many: same query count.

    Catches the N+1 query that a fixed `django_assert_max_num_queries` budget lets through
    while the test data is small. Returns both responses so the caller can check that the
    extra rows are really listed.
    """
    add_rows(rows)
    few, few_response = count_queries(request)
    add_rows(2 * rows)
    many, many_response = count_queries(request)
    assert few == many, (
        f"{few} queries for {rows} rows but {many} for {3 * rows}: a query per row somewhere"
    )
    return few_response, many_response


def query_plan(queryset: QuerySet) -> str:
    """The database's plan for the queryset, as text: which index it reads, whether it sorts."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # An empty test table is cheaper to scan than to index: ask what a large one gets.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


def lose_stored_file(stored: FieldFile) -> None:
    """The row stays and names its file; storage no longer holds it."""
    assert stored.name
    stored.storage.delete(stored.name)


def assert_not_found(response: "ClientResponse", *hidden: str) -> None:
    """A 404 that tells nothing: the API's `not_found` error body, or a page's "Page not found";
    none of `hidden` (what the object would show: its name, an email) is in it."""
    assert response.status_code == 404, response.content
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        assert response.json()["code"] == "not_found", text
    else:
        assert "Page not found" in text, text
    for value in hidden:
        assert value not in text


def assert_api_error(
    response: "ClientResponse", status: int, code: str, field: str | None = None
) -> None:
    """The API's error body: `{"code", "message", "errors": [{"field", "message", "code"}]}` with
    this status and code, naming `field` among its errors when one is given."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert body["message"], body
    if field is not None:
        assert field in [error["field"] for error in body["errors"]], body
