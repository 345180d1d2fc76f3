"""A NUL character anywhere in a request is a 422 naming the field, on both databases: pages,
the API, signed in or not (PostgreSQL cannot even compare such a text, SQLite would store it)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from openprm.core.null_characters import json_paths_with_nul
from openprm.crm.models import Contact, Opportunity
from openprm.deals.models import NoteAttachment
from openprm.deals.tests.factories import create_deal
from openprm.referrals.tests.states import PDF

pytestmark = pytest.mark.django_db

NUL = "\x00"


def send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def refused_fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "null_character"
    assert body["message"] == "Null characters are not allowed."
    return [error["field"] for error in body["errors"]]


def test_a_token_request_with_nul_in_the_email_is_a_422_naming_it(client):
    body = {"email": f"a{NUL}@x.example", "password": "whatever"}
    assert refused_fields(send(client, "post", "/api/v1/auth/tokens", body)) == ["email"]


def test_a_deal_named_with_nul_is_a_422_and_nothing_is_created(client, alice):
    client.force_login(alice)
    body = {"name": f"Deal{NUL}", "amount": "1", "mrr": "1", "currency": "USD",
            "close_date": "2027-01-01", "products": [1], "customer_id": 1}  # fmt: skip
    assert refused_fields(send(client, "post", "/api/v1/deals", body)) == ["name"]
    assert not Opportunity.objects.exists()


def test_nul_in_a_nested_field_is_named_by_its_path(client, alice):
    client.force_login(alice)
    body = {"contact": {"name": f"Yui{NUL}"}, "team": [{"email": "x"}, {"email": NUL}]}
    fields = refused_fields(send(client, "post", "/api/v1/referrals", body))
    assert fields == ["contact.name", "team.1.email"]


def test_a_search_with_nul_is_a_422_in_the_api(client, alice):
    client.force_login(alice)
    assert refused_fields(client.get("/api/v1/customers", {"q": f"a{NUL}b"})) == ["q"]


def test_changing_ones_preferences_with_nul_is_a_422_and_changes_nothing(client, alice):
    client.force_login(alice)
    body = {"full_name": f"Alice{NUL}"}
    assert refused_fields(send(client, "patch", "/api/v1/me", body)) == ["full_name"]
    alice.refresh_from_db()
    assert NUL not in alice.full_name


def test_a_page_search_with_nul_is_the_422_error_page_naming_the_field(client, alice):
    client.force_login(alice)
    response = client.get("/customers/", {"q": f"a{NUL}b"})
    assert response.status_code == 422
    assert "q: Null characters are not allowed." in response.content.decode()


def test_a_sign_in_with_nul_is_the_422_error_page(client):
    response = client.post("/login/", {"username": f"a{NUL}@x.example", "password": "x"})
    assert response.status_code == 422
    assert "username: Null characters are not allowed." in response.content.decode()


def test_a_page_form_with_nul_writes_nothing(client, alice):
    client.force_login(alice)
    response = client.post("/contacts/new/", {"name": f"Yui{NUL}", "email": "yui@x.example"})
    assert response.status_code == 422
    assert not Contact.objects.exists()


def upload(client, actor, data, **headers):
    deal = create_deal(actor=actor)
    client.force_login(actor)
    note = send(client, "post", f"/api/v1/deals/{deal.pk}/notes", {"body": "Quote", "shared": True})
    return client.post(
        f"/api/v1/deals/{deal.pk}/notes/{note.json()['id']}/attachments", data, headers=headers
    )


def test_an_upload_with_an_idempotency_key_still_works(client, alice):
    file = SimpleUploadedFile("quote.pdf", PDF)
    response = upload(client, alice, {"file": file}, **{"Idempotency-Key": "upload-1"})
    assert response.status_code == 201, response.content
    assert NoteAttachment.objects.count() == 1


def test_an_uploaded_files_form_field_with_nul_is_a_422(client, alice):
    response = upload(client, alice, {"file": SimpleUploadedFile("quote.pdf", PDF), f"x{NUL}": "y"})
    assert refused_fields(response) == ["x"]
    assert not NoteAttachment.objects.exists()


def test_nul_in_a_json_key_is_named_too():
    assert list(json_paths_with_nul({"ok": "x", f"bad{NUL}": "y"})) == ["bad"]


def test_requests_without_nul_pass_through(client, alice):
    client.force_login(alice)
    assert client.get("/api/v1/customers", {"q": "acme"}).status_code == 200
    assert get_user_model().objects.filter(pk=alice.pk).exists()
