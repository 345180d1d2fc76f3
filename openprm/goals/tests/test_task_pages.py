"""The "Go to market" section and the task pages, and who may see them."""

import datetime as dt

import pytest
from django.urls import reverse

from openprm.core.testing import assert_not_found
from openprm.goals.models import ActionTask, TaskProgressUpdate, TaskTemplate
from openprm.goals.plans.services import quarterly_review_create
from openprm.goals.tests.conftest import YEAR
from openprm.goals.tests.factories import GoalPlanFactory, action_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(northwind):
    return GoalPlanFactory.create(organization=northwind, year=YEAR)


@pytest.fixture
def task(plan, alice):
    return action_task(plan, alice)


def form(assignee, **fields):
    return {
        "title": "Email the pricing sheet",
        "task_type": "email",
        "priority": "low",
        "assignee": assignee.pk,
        "due_preset": "1w",
        "due_time": "10:00",
        "reminder": "1d",
        "notes": "",
        **fields,
    }


def test_go_to_market_offers_create_open_task_and_default_tasks(client, alice, plan, task):
    TaskTemplate.objects.create(title="Plan a joint webinar")
    client.force_login(alice)
    page = client.get(reverse("goals:detail", args=[plan.pk])).content.decode()
    for text in ("Go to market", "Create task", "Create open task", "Plan a joint webinar"):
        assert text in page
    assert task.title in page


def test_a_default_task_fills_the_form(client, alice, plan):
    template = TaskTemplate.objects.create(title="Plan a joint webinar", task_type="todo")
    client.force_login(alice)
    page = client.get(reverse("goals:task-new", args=[plan.pk]) + f"?template={template.pk}")
    assert 'value="Plan a joint webinar"' in page.content.decode()


@pytest.mark.parametrize("template", ["abc", "99999999999999999999", "{inactive}"])
def test_a_default_task_that_is_not_offered_is_a_404(client, alice, plan, template):
    inactive = TaskTemplate.objects.create(title="Old webinar", active=False)
    client.force_login(alice)
    url = reverse("goals:task-new", args=[plan.pk])
    client.raise_request_exception = False
    response = client.get(url + "?template=" + template.format(inactive=inactive.pk))
    assert_not_found(response, "Old webinar")


def test_create_open_task_in_the_users_timezone(client, alice, plan):
    alice.timezone = "Asia/Tokyo"
    alice.save()
    client.force_login(alice)
    response = client.post(reverse("goals:task-new", args=[plan.pk]), form(alice))
    assert response.status_code == 302
    task = ActionTask.objects.get()
    # 15 May 2026 21:00 in Tokyo; in 1 week at 10:00 Tokyo is 01:00 UTC on the 22nd.
    assert task.due_at.isoformat() == "2026-05-22T01:00:00+00:00"
    assert task.remind_at == task.due_at - dt.timedelta(days=1)


def test_assignee_of_another_partner_is_refused_on_the_form(client, alice, charlie, plan):
    client.force_login(alice)
    response = client.post(reverse("goals:task-new", args=[plan.pk]), form(charlie))
    assert response.status_code == 200
    assert response.context["form"].errors["assignee"]
    assert not ActionTask.objects.exists()


def test_custom_reminder_already_past_is_refused_on_the_form(client, alice, plan):
    client.force_login(alice)
    data = form(alice, reminder="custom", remind_date="2026-05-01", remind_time="09:00")
    response = client.post(reverse("goals:task-new", args=[plan.pk]), data)
    assert "This reminder time has already passed." in response.content.decode()
    assert not ActionTask.objects.exists()


@pytest.mark.parametrize(
    ("timezone", "fields", "field", "message"),
    [
        (
            "America/Los_Angeles",
            {"due_preset": "custom", "due_date": "9999-12-31"},
            "due_date",
            "Enter a time from 1900-01-01 to 9999-12-30 UTC.",
        ),
        (
            "UTC",
            {"reminder": "custom", "remind_date": "9999-12-31", "remind_time": "09:00"},
            "remind_date",
            "Enter a time from 1900-01-01 to 9999-12-30 UTC.",
        ),
        (
            "UTC",
            {"due_preset": "custom", "due_date": "1899-12-31"},
            "due_date",
            "Enter a date in 1900 or later.",
        ),
    ],
)
def test_a_due_date_or_reminder_that_cannot_be_shown_everywhere_is_refused_on_the_form(
    client, alice, plan, timezone, fields, field, message
):
    alice.timezone = timezone
    alice.save()
    client.force_login(alice)
    response = client.post(reverse("goals:task-new", args=[plan.pk]), form(alice, **fields))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not ActionTask.objects.exists()


def test_pdm_edits_completes_and_reopens_a_task(client, pam, task):
    client.force_login(pam)
    url = reverse("goals:task", args=[task.pk])
    assert client.get(url).status_code == 200
    edited = form(pam, title="Call Contoso today", due_preset="tomorrow", reminder="none")
    assert client.post(url, {**edited, "save": "1"}).status_code == 302
    task.refresh_from_db()
    assert (task.title, task.assignee, task.remind_at) == ("Call Contoso today", pam, None)
    client.post(reverse("goals:task-complete", args=[task.pk]))
    task.refresh_from_db()
    assert task.done
    client.post(reverse("goals:task-reopen", args=[task.pk]))
    task.refresh_from_db()
    assert not task.done


def test_progress_updates_are_added_over_time(client, bob, task):
    client.force_login(bob)
    url = reverse("goals:task", args=[task.pk])
    client.post(url, {"text": "Left a voicemail", "add_update": "1"})
    assert "Left a voicemail" in client.get(url).content.decode()


def test_task_list_filters(client, alice, pam, plan, task, django_assert_max_num_queries):
    action_task(plan, pam, title="PDM follow-up")
    client.force_login(alice)
    url = reverse("goals:tasks", args=[plan.pk])
    with django_assert_max_num_queries(15):
        page = client.get(url, {"assignee": pam.pk}).content.decode()
    assert "PDM follow-up" in page
    assert task.title not in page
    assert task.title not in client.get(url, {"status": "done"}).content.decode()


@pytest.mark.parametrize("outsider", ["charlie", "paula"])
def test_other_partners_and_other_pdms_get_404_for_task_pages(client, request, task, outsider):
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(reverse("goals:task", args=[task.pk])).status_code == 404
    assert client.get(reverse("goals:tasks", args=[task.plan_id])).status_code == 404
    assert client.post(reverse("goals:task-complete", args=[task.pk])).status_code == 404
    assert client.post(reverse("goals:task-delete", args=[task.pk])).status_code == 404
    assert ActionTask.objects.filter(pk=task.pk, done=False).exists()


def test_quarterly_review_records_progress_of_open_tasks(client, pam, plan, task):
    review = quarterly_review_create(plan=plan, quarter=2, actor=pam)
    client.force_login(pam)
    url = reverse("goals:review", args=[review.pk])
    grid = client.get(url).context["form"]
    form_data = {
        name: grid[name].value() for name, field in grid.fields.items() if not field.disabled
    }
    form_data.update({"growth": "", "save": "1", f"task_progress_{task.pk}": "Booked"})
    response = client.post(url, form_data)
    assert response.status_code == 302, response.context["form"].errors
    update = TaskProgressUpdate.objects.get()
    assert (update.task, update.review, update.text) == (task, review, "Booked")
    assert "Booked" in client.get(url).content.decode()


def test_a_review_that_does_not_save_keeps_what_was_typed_for_the_tasks(client, pam, plan, task):
    review = quarterly_review_create(plan=plan, quarter=2, actor=pam)
    client.force_login(pam)
    url = reverse("goals:review", args=[review.pk])
    grid = client.get(url).context["form"]
    form_data = {
        name: grid[name].value() for name, field in grid.fields.items() if not field.disabled
    }
    form_data.update(
        {"growth": "", "save": "1", "sourced_won_12": "-1", f"task_progress_{task.pk}": "Booked"}
    )
    response = client.post(url, form_data)
    assert response.status_code == 200
    assert response.context["form"].errors["sourced_won_12"]
    assert ">Booked</textarea>" in response.content.decode()
    assert not TaskProgressUpdate.objects.exists()


def test_only_the_program_admin_manages_the_default_tasks(client, victor, pam, alice):
    url = "/admin/goals/tasktemplate/"
    client.force_login(victor)
    assert client.get(url).status_code == 200
    assert (
        client.post(
            "/admin/goals/tasktemplate/add/",
            {
                "title": "Plan a joint webinar",
                "task_type": "todo",
                "priority": "medium",
                "notes": "",
                "due_in_days": "14",
                "position": "0",
                "active": "on",
            },
        ).status_code
        == 302
    )
    assert TaskTemplate.objects.get().title == "Plan a joint webinar"
    for user in (pam, alice):
        client.force_login(user)
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("updates", [1, 5])
def test_a_task_page_with_its_progress_updates_stays_within_a_query_budget(
    client, pam, alice, plan, task, updates, django_assert_max_num_queries
):
    review = quarterly_review_create(plan=plan, quarter=2, actor=pam)
    for n in range(updates):
        TaskProgressUpdate.objects.create(task=task, text=f"Step {n}", review=review)
    client.force_login(pam)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("goals:task", args=[task.pk]))
    assert response.content.decode().count("Quarterly review Q2") == updates


@pytest.mark.parametrize("tasks", [1, 5])
def test_a_review_page_with_open_tasks_and_changes_stays_within_a_query_budget(
    client, pam, alice, plan, tasks, django_assert_max_num_queries
):
    review = quarterly_review_create(plan=plan, quarter=2, actor=pam)
    for n in range(tasks):
        TaskProgressUpdate.objects.create(
            task=action_task(plan, alice, title=f"Task {n}"), text="Booked", review=review
        )
    client.force_login(pam)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("goals:review", args=[review.pk]))
    assert len(response.context["open_tasks"]) == tasks
