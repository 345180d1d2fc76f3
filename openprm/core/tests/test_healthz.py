"""/healthz: what a load balancer or monitor sees of a server process and its database."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def refuse(execute, sql, params, many, context):
    raise OperationalError("connection refused")


def test_healthz_answers_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_reads_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/healthz")


def test_healthz_is_never_cached(client):
    assert "no-store" in client.get("/healthz")["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}


def test_healthz_refuses_a_post_and_names_the_methods_it_takes(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
