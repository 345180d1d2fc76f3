"""The vendor's default tasks through the API and Program settings: the program admin adds,
changes and removes them; bad input names the field and writes nothing; anyone else gets a
403; each change is in the audit log."""

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.goals.models import TaskTemplate
from openprm.goals.tasks.selectors import task_templates

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/default-tasks"
JSON = "application/json"


def send(client, user, method, url, **body):
    return getattr(client, method)(url, body, content_type=JSON, **bearer(client, user))


def test_the_program_admin_adds_a_default_task_and_the_audit_log_records_it(client, victor):
    response = send(client, victor, "post", URL, title="Plan the joint webinar",
                    task_type="call", priority="high", due_in_days=14)  # fmt: skip

    assert response.status_code == 201, response.content
    created = TaskTemplate.objects.get(pk=response.json()["id"])
    assert (created.title, created.task_type, created.due_in_days) == (
        "Plan the joint webinar", "call", 14,
    )  # fmt: skip
    event = Event.objects.get(kind="default_task.created")
    assert (event.actor, event.data["changes"]["priority"]) == (victor, [None, "high"])


def test_a_deactivated_default_task_is_no_longer_offered(client, victor):
    template = TaskTemplate.objects.create(title="Send the price list", position=1)

    response = send(client, victor, "patch", f"{URL}/{template.pk}", active=False)

    assert response.status_code == 200
    assert response.json()["active"] is False
    assert template not in task_templates()  # what "Create task" offers
    event = Event.objects.get(kind="default_task.updated")
    assert event.data["changes"] == {"active": [True, False]}


def test_the_program_admin_removes_a_default_task(client, victor):
    template = TaskTemplate.objects.create(title="Send the price list")

    response = client.delete(f"{URL}/{template.pk}", **bearer(client, victor))

    assert response.status_code == 204
    assert not TaskTemplate.objects.filter(pk=template.pk).exists()
    event = Event.objects.get(kind="default_task.deleted")
    assert event.data["changes"]["title"] == ["Send the price list", None]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"title": " "}, "title"), ({"title": "X", "due_in_days": 366}, "due_in_days"),
     ({"title": "X", "priority": "urgent"}, "priority")],
)  # fmt: skip
def test_bad_default_task_input_is_a_422_naming_the_field(client, victor, body, field):
    before = TaskTemplate.objects.count()

    response = send(client, victor, "post", URL, **body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert TaskTemplate.objects.count() == before
    assert not Event.objects.filter(kind__startswith="default_task.").exists()


def test_anyone_but_the_program_admin_gets_a_403_for_default_tasks(client, pam, alice):
    template = TaskTemplate.objects.create(title="Kept")
    for user in (pam, alice):
        assert client.get(URL, **bearer(client, user)).status_code == 403
        assert send(client, user, "patch", f"{URL}/{template.pk}", title="Mine").status_code == 403
        assert client.delete(f"{URL}/{template.pk}", **bearer(client, user)).status_code == 403
    assert TaskTemplate.objects.get(pk=template.pk).title == "Kept"


def test_program_settings_names_the_field_the_service_refuses(client, victor):
    client.force_login(victor)

    response = client.post("/admin/goals/tasktemplate/add/", {
        "title": "Kick-off", "task_type": "todo", "priority": "none", "notes": "",
        "due_in_days": "400", "position": "0", "active": "on",
    })  # fmt: skip

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "due_in_days": ["Enter a number of days from 0 to 365."]
    }
    assert not TaskTemplate.objects.filter(title="Kick-off").exists()
