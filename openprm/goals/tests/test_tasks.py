"""Action tasks (B6) and their reminders (B7): validation, delivery once, the sweep's net."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from openprm.core.sweep import run_sweep
from openprm.goals.models import ActionTask, TaskProgressUpdate
from openprm.goals.tasks import send_task_reminder
from openprm.goals.tasks import services as task_services
from openprm.goals.tasks.reminders import send_reminder
from openprm.goals.tests.conftest import YEAR
from openprm.goals.tests.factories import GoalPlanFactory, action_task
from openprm.notifications.models import Notification

pytestmark = pytest.mark.django_db

# Tomorrow (16 May 2026) at 09:00 UTC, reminded an hour before.
DUE = dt.datetime(2026, 5, 16, 9, 0, tzinfo=dt.UTC)
REMIND = dt.datetime(2026, 5, 16, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def plan(northwind):
    return GoalPlanFactory.create(organization=northwind, year=YEAR)


@pytest.fixture
def task(plan, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return action_task(plan, alice)


def create(plan, actor, **fields):
    values = {
        "title": "Email the pricing sheet",
        "task_type": "email",
        "priority": "low",
        "assignee_id": actor.pk,
        "due_at": DUE,
        "reminder": "none",
        **fields,
    }
    return task_services.action_task_create(plan=plan, actor=actor, fields=values)


def field_of(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.message_dict)


def test_assignee_from_another_organization_is_a_field_error_and_nothing_is_saved(
    plan, alice, charlie
):
    with pytest.raises(ValidationError) as exc:
        create(plan, alice, assignee_id=charlie.pk)
    assert field_of(exc) == {"assignee_id"}
    assert not ActionTask.objects.exists()


def test_reminder_time_already_past_is_a_field_error_and_nothing_is_saved(plan, alice):
    with pytest.raises(ValidationError) as exc:
        create(plan, alice, due_at=dt.datetime(2026, 5, 15, 12, 30, tzinfo=dt.UTC), reminder="1h")
    assert field_of(exc) == {"reminder"}
    assert not ActionTask.objects.exists()


def test_custom_reminder_in_the_past_is_a_field_error(plan, alice):
    past = dt.datetime(2026, 5, 14, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as exc:
        create(plan, alice, reminder="custom", remind_at=past)
    assert field_of(exc) == {"reminder"}
    assert not ActionTask.objects.exists()


def test_unknown_task_type_is_a_field_error_and_nothing_is_saved(plan, alice):
    with pytest.raises(ValidationError) as exc:
        create(plan, alice, task_type="meeting")
    assert field_of(exc) == {"task_type"}
    assert not ActionTask.objects.exists()


def test_the_partners_pdm_may_be_the_assignee(plan, alice, pam):
    assert create(plan, alice, assignee_id=pam.pk).assignee == pam


def test_offset_reminder_is_derived_from_the_due_time(task):
    assert task.remind_at == REMIND


def test_times_entered_without_offset_are_read_in_the_users_timezone(plan, alice):
    from django.utils import timezone

    with timezone.override("Asia/Tokyo"):
        made = create(plan, alice, due_at=dt.datetime(2026, 5, 16, 18, 0))
    assert made.due_at == DUE


def test_setting_a_reminder_queues_it_for_its_time(task):
    row = DBTaskResult.objects.get()
    assert row.run_after == REMIND
    assert row.args_kwargs["args"] == [task.pk, REMIND.isoformat()]


def test_reminder_is_sent_once_when_its_job_runs_twice(
    task, alice, time_machine, django_capture_on_commit_callbacks, run_due_tasks
):
    time_machine.move_to(REMIND, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_task_reminder.call(task.pk, REMIND.isoformat()) == "sent"
        assert send_task_reminder.call(task.pk, REMIND.isoformat()) == "sent"
    run_due_tasks()
    notification = Notification.objects.get()
    assert notification.recipient == alice
    assert notification.cause == f"task-reminder:{task.pk}:{REMIND.isoformat()}"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == notification.message_id


def test_reminder_is_not_sent_before_its_time(task):
    assert send_reminder(task.pk, REMIND.isoformat()) == "not_due"
    assert not Notification.objects.exists()


def test_reminder_missed_while_the_worker_was_down_is_sent_by_the_sweep(
    task, time_machine, django_capture_on_commit_callbacks
):
    DBTaskResult.objects.all().delete()
    later = REMIND + dt.timedelta(minutes=25)
    time_machine.move_to(later, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        report = run_sweep(later)
    assert report["due_work"]["task_reminders"] == 1
    assert run_sweep(later)["due_work"]["task_reminders"] == 0
    assert Notification.objects.get().cause.endswith(REMIND.isoformat())
    task.refresh_from_db()
    assert task.reminder_sent_at == later


def test_worker_and_sweep_together_send_one_reminder(task, time_machine, run_due_tasks):
    time_machine.move_to(REMIND, tick=False)
    run_sweep(REMIND)
    assert run_due_tasks()[0] == "sent"
    assert Notification.objects.count() == 1


def test_no_reminder_for_a_task_completed_before_then(task, alice, time_machine, run_due_tasks):
    task_services.action_task_set_done(task=task, actor=alice, done=True)
    time_machine.move_to(REMIND, tick=False)
    assert run_due_tasks() == ["done"]
    assert run_sweep(REMIND)["due_work"]["task_reminders"] == 0
    assert not Notification.objects.exists()


def test_no_reminder_for_a_task_deleted_before_then(task, alice, time_machine, run_due_tasks):
    task_services.action_task_delete(task=task, actor=alice)
    time_machine.move_to(REMIND, tick=False)
    assert run_due_tasks() == ["deleted"]
    assert run_sweep(REMIND)["due_work"]["task_reminders"] == 0
    assert not Notification.objects.exists()


def test_moving_the_due_date_moves_the_reminder(
    task, alice, time_machine, django_capture_on_commit_callbacks, run_due_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        task_services.action_task_update(
            task=task, actor=alice, fields={"due_at": DUE + dt.timedelta(days=2)}
        )
    task.refresh_from_db()
    moved = REMIND + dt.timedelta(days=2)
    assert task.remind_at == moved
    assert DBTaskResult.objects.filter(run_after=moved).count() == 1
    time_machine.move_to(REMIND, tick=False)
    assert run_due_tasks() == ["moved"]
    assert run_sweep(REMIND)["due_work"]["task_reminders"] == 0
    time_machine.move_to(moved, tick=False)
    assert run_due_tasks() == ["sent"]
    assert Notification.objects.get().cause.endswith(moved.isoformat())


def test_a_custom_reminder_stays_when_the_due_date_moves(plan, alice):
    custom = dt.datetime(2026, 5, 15, 18, 0, tzinfo=dt.UTC)
    made = create(plan, alice, reminder="custom", remind_at=custom)
    task_services.action_task_update(
        task=made, actor=alice, fields={"due_at": DUE + dt.timedelta(days=3)}
    )
    made.refresh_from_db()
    assert made.remind_at == custom


def test_a_reopened_task_is_still_reminded_once(
    task, alice, time_machine, run_due_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task_services.action_task_set_done(task=task, actor=alice, done=True)
        task_services.action_task_set_done(task=task, actor=alice, done=False)
    time_machine.move_to(REMIND, tick=False)
    assert sorted(run_due_tasks()) == ["sent", "sent"]
    assert Notification.objects.count() == 1


def test_review_records_progress_of_open_tasks(plan, task, alice, pam):
    from openprm.goals.plans.services import quarterly_review_create

    review = quarterly_review_create(plan=plan, quarter=2, actor=pam)
    task_services.review_task_progress(review=review, actor=pam, texts={task.pk: "Demo booked"})
    update = TaskProgressUpdate.objects.get()
    assert (update.task, update.review, update.text) == (task, review, "Demo booked")


def test_review_progress_for_a_done_task_is_a_field_error_and_nothing_is_saved(
    plan, task, alice, pam
):
    from openprm.goals.plans.services import quarterly_review_create

    done = create(plan, alice, title="Done already")
    task_services.action_task_set_done(task=done, actor=alice, done=True)
    review = quarterly_review_create(plan=plan, quarter=2, actor=pam)
    with pytest.raises(ValidationError) as exc:
        task_services.review_task_progress(
            review=review, actor=pam, texts={task.pk: "Demo booked", done.pk: "Closed"}
        )
    assert field_of(exc) == {"task_id"}
    assert not TaskProgressUpdate.objects.exists()
