"""Idempotency-Key on API creates, through POST /api/v1/auth/tokens as a signed-in member.

A token's answer carries its secret, which is never kept: a retry that would replay it is a 409.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from openprm.accounts.models import ApiToken
from openprm.accounts.tests.factories import PASSWORD
from openprm.core.models import IdempotencyKey
from openprm.crm.models import Contact

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def member_client(client, alice):
    client.force_login(alice, backend=MODEL_BACKEND)
    return client


def create_token(client, user, key, name="CI"):
    return client.post(
        "/api/v1/auth/tokens",
        {"email": user.email, "password": PASSWORD, "name": name},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def create_contact(client, key, first_name="Naomi"):
    return client.post(
        "/api/v1/contacts", {"first_name": first_name}, content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )  # fmt: skip


def test_retry_returns_the_first_response_and_creates_nothing(member_client, alice):
    first = create_contact(member_client, "retry-1")
    retry = create_contact(member_client, "retry-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Contact.objects.filter(organization=alice.organization).count() == 1


def test_a_retried_token_create_creates_nothing_and_replays_no_secret(member_client, alice):
    first = create_token(member_client, alice, "token-1")
    retry = create_token(member_client, alice, "token-1")
    assert first.status_code == 201
    assert first["Cache-Control"] == "no-store"
    assert retry.status_code == 409
    assert retry.json()["code"] == "not_replayable"
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_a_tokens_secret_is_never_written_to_the_idempotency_record(member_client, alice):
    secret = create_token(member_client, alice, "token-2").json()["token"]
    record = IdempotencyKey.objects.get(key="token-2")
    assert record.withheld
    assert secret.encode() not in bytes(record.body or b"")


def test_another_key_creates_another_object(member_client, alice):
    create_token(member_client, alice, "one")
    create_token(member_client, alice, "two")
    assert ApiToken.objects.filter(user=alice).count() == 2


def test_same_key_with_another_body_is_422(member_client, alice):
    create_token(member_client, alice, "reused", name="CI")
    response = create_token(member_client, alice, "reused", name="Laptop")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_key_longer_than_255_characters_is_422(member_client, alice):
    response = create_token(member_client, alice, "k" * 256)
    assert response.status_code == 422
    assert response.json()["code"] == "too_long"
    assert not ApiToken.objects.exists()


def test_key_of_255_characters_is_accepted(member_client, alice):
    response = create_token(member_client, alice, "k" * 255)
    assert response.status_code == 201
    assert list(ApiToken.objects.filter(user=alice).values_list("pk", flat=True)) == [
        response.json()["id"]
    ]


def left_running(key, *, lease_left):
    """What a request still running, or dead, leaves of its key: the claim and no response."""
    IdempotencyKey.objects.filter(key=key).update(
        status_code=None, content_type="", body=None, headers={},
        locked_until=timezone.now() + lease_left,
    )  # fmt: skip


def test_request_while_the_first_is_still_running_is_409(member_client, alice):
    create_token(member_client, alice, "running")
    left_running("running", lease_left=timedelta(seconds=5))
    response = create_token(member_client, alice, "running")
    assert response.status_code == 409
    assert response.json()["code"] == "in_progress"
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_a_key_whose_request_died_is_retried_and_runs_once(member_client, alice):
    create_contact(member_client, "died")
    # The dead request's transaction was rolled back: nothing is left but its claim.
    Contact.objects.filter(organization=alice.organization).delete()
    left_running("died", lease_left=-timedelta(seconds=1))
    retry = create_contact(member_client, "died")
    again = create_contact(member_client, "died")
    assert retry.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in retry
    assert again.json() == retry.json()
    assert Contact.objects.filter(organization=alice.organization).count() == 1


def test_two_first_requests_racing_for_one_key_leave_the_loser_a_409(
    member_client, alice, monkeypatch
):
    def lost_the_race(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: core_idempotencykey.identity")

    monkeypatch.setattr(IdempotencyKey.objects, "get_or_create", lost_the_race)
    response = create_token(member_client, alice, "racing")
    assert response.status_code == 409
    assert response.json()["code"] == "in_progress"
    assert not ApiToken.objects.exists()


def test_failed_create_can_be_retried_with_the_same_key(member_client, alice):
    wrong = member_client.post(
        "/api/v1/auth/tokens",
        {"email": alice.email, "password": "wrong"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="after-typo",
    )
    assert wrong.status_code == 400
    assert not IdempotencyKey.objects.filter(key="after-typo").exists()


def test_keys_are_per_requester(client, alice, charlie):
    client.force_login(alice, backend=MODEL_BACKEND)
    create_token(client, alice, "shared")
    client.force_login(charlie, backend=MODEL_BACKEND)
    response = create_token(client, charlie, "shared")
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=charlie).count() == 1


def test_a_replayed_create_carries_the_first_responses_etag(member_client, alice):
    first = create_contact(member_client, "contact-1")
    retry = create_contact(member_client, "contact-1")
    assert first.status_code == retry.status_code == 201
    assert retry["ETag"] == first["ETag"]
    assert retry.json() == first.json()
    assert Contact.objects.filter(organization=alice.organization).count() == 1
