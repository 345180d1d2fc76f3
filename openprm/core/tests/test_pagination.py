"""API lists page by limit and offset; an offset past what a database holds is a 422."""

import pytest

from openprm.core.pagination import MAX_OFFSET
from openprm.crm.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_lists_answer_items_and_count_a_page_at_a_time(client, alice, northwind):
    ContactFactory.create_batch(3, organization=northwind)
    client.force_login(alice)
    body = client.get("/api/v1/contacts?limit=2&offset=1").json()
    assert (len(body["items"]), body["count"]) == (2, 3)


def test_the_largest_offset_is_an_empty_page(client, alice):
    client.force_login(alice)
    response = client.get(f"/api/v1/contacts?offset={MAX_OFFSET}")
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_an_offset_beyond_any_database_integer_is_a_422_naming_offset(client, alice):
    client.force_login(alice)
    response = client.get(f"/api/v1/contacts?offset={2**70}")
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["offset"]
