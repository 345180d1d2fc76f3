"""/api/v1/tasks: scoped like the pages, strict bodies, declared errors, ETag/If-Match."""

import datetime as dt

import pytest

from openprm.core.testing import assert_api_error, assert_not_found
from openprm.goals.models import ActionTask, TaskProgressUpdate
from openprm.goals.plans.services import quarterly_review_create
from openprm.goals.tests.conftest import YEAR
from openprm.goals.tests.factories import GoalPlanFactory, action_task

pytestmark = pytest.mark.django_db

JSON = "application/json"
DUE = "2026-05-20T09:00:00+00:00"


@pytest.fixture
def plan(northwind):
    return GoalPlanFactory.create(organization=northwind, year=YEAR)


@pytest.fixture
def task(plan, alice):
    return action_task(plan, alice)


def body(plan, assignee, **fields):
    return {
        "plan_id": plan.pk,
        "title": "Call Contoso",
        "task_type": "call",
        "priority": "medium",
        "assignee_id": assignee.pk,
        "due_at": DUE,
        "reminder": "1d",
        **fields,
    }


def test_partner_admin_creates_a_task_with_a_reminder(client, alice, plan):
    client.force_login(alice)
    response = client.post("/api/v1/tasks", body(plan, alice), content_type=JSON)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["remind_at"] == "2026-05-19T09:00:00Z"
    assert response.headers["ETag"]


def test_assignee_from_another_organization_is_a_422_on_assignee_id(client, alice, charlie, plan):
    client.force_login(alice)
    response = client.post("/api/v1/tasks", body(plan, charlie), content_type=JSON)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["assignee_id"]
    assert not ActionTask.objects.exists()


def test_reminder_in_the_past_is_a_422_on_reminder(client, alice, plan):
    client.force_login(alice)
    payload = body(plan, alice, reminder="custom", remind_at="2026-05-01T09:00:00Z")
    response = client.post("/api/v1/tasks", payload, content_type=JSON)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reminder"]
    assert not ActionTask.objects.exists()


OUT_OF_RANGE = "Enter a time from 1900-01-01 to 9999-12-30 UTC."


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"due_at": "9999-12-31T23:59:59-14:00"}, "due_at"),
        ({"due_at": "9999-12-31T12:00:00Z"}, "due_at"),
        ({"due_at": "1899-12-31T23:00:00Z"}, "due_at"),
        ({"due_at": "0001-01-01T00:00:00+14:00"}, "due_at"),
        ({"reminder": "custom", "remind_at": "9999-12-31T23:59:59-14:00"}, "remind_at"),
    ],
)
def test_a_time_that_cannot_be_stored_in_utc_and_shown_everywhere_is_a_422_naming_it(
    client, alice, plan, fields, field
):
    client.force_login(alice)
    response = client.post("/api/v1/tasks", body(plan, alice, **fields), content_type=JSON)
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [
        (field, OUT_OF_RANGE)
    ]
    assert not ActionTask.objects.exists()


def test_a_time_given_as_a_number_is_a_422_naming_it(client, alice, plan):
    client.force_login(alice)
    response = client.post("/api/v1/tasks", body(plan, alice, due_at=0), content_type=JSON)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["due_at"]
    assert not ActionTask.objects.exists()


def test_moving_a_task_past_the_calendars_end_is_a_422_and_changes_nothing(client, alice, task):
    client.force_login(alice)
    response = client.patch(
        f"/api/v1/tasks/{task.pk}", {"due_at": "9999-12-31T23:59:59-14:00"}, content_type=JSON
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["due_at"]
    assert ActionTask.objects.get(pk=task.pk).due_at == task.due_at


def test_unknown_type_and_unknown_keys_are_422(client, alice, plan):
    client.force_login(alice)
    for payload in (body(plan, alice, task_type="meeting"), body(plan, alice, colour="red")):
        assert client.post("/api/v1/tasks", payload, content_type=JSON).status_code == 422
    assert not ActionTask.objects.exists()


def test_pdm_reads_and_edits_a_partners_task(client, pam, task):
    client.force_login(pam)
    read = client.get(f"/api/v1/tasks/{task.pk}")
    assert read.status_code == 200
    response = client.patch(
        f"/api/v1/tasks/{task.pk}",
        {"priority": "low"},
        content_type=JSON,
        headers={"If-Match": read.headers["ETag"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["priority"] == "low"


def test_a_stale_if_match_is_412(client, alice, task):
    client.force_login(alice)
    etag = client.get(f"/api/v1/tasks/{task.pk}").headers["ETag"]
    client.patch(f"/api/v1/tasks/{task.pk}", {"notes": "x"}, content_type=JSON)
    response = client.patch(
        f"/api/v1/tasks/{task.pk}", {"notes": "y"}, content_type=JSON, headers={"If-Match": etag}
    )
    assert_api_error(response, 412, "stale_version")
    assert ActionTask.objects.get(pk=task.pk).notes == "x"


@pytest.mark.parametrize("outsider", ["charlie", "paula"])
def test_other_partners_and_other_pdms_get_404(client, request, task, outsider):
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(f"/api/v1/tasks/{task.pk}").status_code == 404
    assert client.post(f"/api/v1/tasks/{task.pk}/complete").status_code == 404
    assert client.get("/api/v1/tasks?status=all").json()["items"] == []


def test_creating_on_another_partners_plan_is_404(client, charlie, alice, plan):
    client.force_login(charlie)
    assert_not_found(client.post("/api/v1/tasks", body(plan, alice), content_type=JSON))
    assert not ActionTask.objects.exists()


def test_complete_and_reopen(client, bob, task):
    client.force_login(bob)
    done = client.post(f"/api/v1/tasks/{task.pk}/complete")
    assert done.json()["done"] is True
    assert client.get("/api/v1/tasks").json()["count"] == 0
    assert client.get("/api/v1/tasks?status=done").json()["count"] == 1
    assert client.post(f"/api/v1/tasks/{task.pk}/reopen").json()["done"] is False


def test_list_filters_by_assignee_and_due(client, alice, pam, plan, django_assert_max_num_queries):
    action_task(plan, alice)
    later = dt.datetime(2026, 8, 1, 9, tzinfo=dt.UTC)
    action_task(plan, pam, due_at=later)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        mine = client.get(f"/api/v1/tasks?assignee_id={alice.pk}").json()
    assert mine["count"] == 1
    assert client.get("/api/v1/tasks?due=later").json()["items"][0]["assignee_id"] == pam.pk
    assert client.get("/api/v1/tasks?due=today").json()["count"] == 0


def test_progress_updates_inside_a_review(client, pam, task, plan):
    review = quarterly_review_create(plan=plan, quarter=2, actor=pam)
    client.force_login(pam)
    response = client.post(
        f"/api/v1/tasks/{task.pk}/progress-updates",
        {"text": "Demo booked", "review_id": review.pk},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert TaskProgressUpdate.objects.get().review == review
    listed = client.get(f"/api/v1/tasks/{task.pk}/progress-updates").json()
    assert listed["items"][0]["text"] == "Demo booked"


def test_delete_then_404(client, alice, task):
    client.force_login(alice)
    assert client.delete(f"/api/v1/tasks/{task.pk}").status_code == 204
    assert not ActionTask.objects.filter(pk=task.pk).exists()
    assert_not_found(client.get(f"/api/v1/tasks/{task.pk}"), task.title)


def test_review_records_task_progress_through_the_api(client, alice, pam, task, plan):
    review = quarterly_review_create(plan=plan, quarter=2, actor=pam)
    client.force_login(alice)
    url = f"/api/v1/goal-plans/{plan.pk}/reviews/{review.pk}/task-updates"
    response = client.post(
        url, {"updates": [{"task_id": task.pk, "text": "Proposal sent"}]}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert client.get(url).json()["items"][0]["text"] == "Proposal sent"


def test_review_task_progress_for_another_plans_task_is_422(client, alice, pam, plan, charlie):
    other = action_task(GoalPlanFactory.create(organization=charlie.organization), charlie)
    review = quarterly_review_create(plan=plan, quarter=2, actor=pam)
    client.force_login(alice)
    response = client.post(
        f"/api/v1/goal-plans/{plan.pk}/reviews/{review.pk}/task-updates",
        {"updates": [{"task_id": other.pk, "text": "Peek"}]},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "task_id"
    assert not TaskProgressUpdate.objects.exists()


def test_every_task_route_declares_its_errors():
    from openprm.api import api

    paths = api.get_openapi_schema()["paths"]
    task_paths = {path: ops for path, ops in paths.items() if path.startswith("/api/v1/tasks")}
    assert len(task_paths) == 5
    for operations in task_paths.values():
        for operation in operations.values():
            assert {401, 404, 422} <= set(operation["responses"])


@pytest.mark.parametrize("updates", [1, 5])
def test_a_tasks_progress_updates_list_in_a_fixed_number_of_queries(
    client, alice, task, updates, django_assert_max_num_queries
):
    for n in range(updates):
        TaskProgressUpdate.objects.create(task=task, text=f"Step {n}")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        listed = client.get(f"/api/v1/tasks/{task.pk}/progress-updates")
        single = client.get(f"/api/v1/tasks/{task.pk}")
    assert listed.json()["count"] == updates
    assert single.json()["id"] == task.pk
