import pytest

from openprm.core.testing import assert_api_error
from openprm.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def api(client, alice):
    client.force_login(alice, backend=MODEL_BACKEND)
    return client


def test_list_is_newest_first_and_paginated(api, alice):
    NotificationFactory.create(recipient=alice, title="older")
    NotificationFactory.create(recipient=alice, title="newer")
    body = api.get("/api/v1/notifications?limit=1").json()
    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == ["newer"]


def test_unread_filter(api, alice):
    NotificationFactory.create(recipient=alice, title="new")
    NotificationFactory.create(recipient=alice, title="seen", read_at="2026-01-01T00:00:00Z")
    unread = api.get("/api/v1/notifications?unread=true").json()
    read = api.get("/api/v1/notifications?unread=false").json()
    assert [i["title"] for i in unread["items"]] == ["new"]
    assert [i["title"] for i in read["items"]] == ["seen"]


def test_list_never_shows_another_users_notifications(api, charlie):
    NotificationFactory.create(recipient=charlie)
    assert api.get("/api/v1/notifications").json()["count"] == 0


def test_mark_read(api, alice):
    notification = NotificationFactory.create(recipient=alice)
    response = api.post(f"/api/v1/notifications/{notification.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    again = api.post(f"/api/v1/notifications/{notification.pk}/read").json()
    assert again["read_at"] == response.json()["read_at"]


def test_mark_read_of_another_partners_notification_is_404(api, charlie):
    theirs = NotificationFactory.create(recipient=charlie)
    response = api.post(f"/api/v1/notifications/{theirs.pk}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_read_all(api, alice, charlie):
    NotificationFactory.create_batch(2, recipient=alice)
    NotificationFactory.create(recipient=charlie)
    assert api.post("/api/v1/notifications/read-all").json() == {"marked": 2}


def test_preferences_round_trip(api):
    body = {"preferences": [{"kind": "task_reminder", "email": False, "in_app": True}]}
    response = api.put("/api/v1/notifications/preferences", body, content_type="application/json")
    assert response.status_code == 200
    saved = {p["kind"]: p for p in api.get("/api/v1/notifications/preferences").json()}
    assert saved["task_reminder"]["email"] is False
    assert saved["shared_note"]["email"] is True


def test_unknown_kind_in_preferences_is_422_naming_the_field(api):
    body = {"preferences": [{"kind": "nope", "email": False, "in_app": True}]}
    response = api.put("/api/v1/notifications/preferences", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


def test_unknown_field_is_422_naming_the_field(api):
    body = {"preferences": [{"kind": "task_reminder", "email": False, "in_app": True, "sms": 1}]}
    response = api.put("/api/v1/notifications/preferences", body, content_type="application/json")
    assert_api_error(response, 422, "validation_error", field="preferences.0.sms")


def test_anonymous_is_401(client):
    assert_api_error(client.get("/api/v1/notifications"), 401, "unauthenticated")


def test_list_query_count(api, alice, django_assert_max_num_queries):
    NotificationFactory.create_batch(30, recipient=alice)
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/notifications").status_code == 200
