"""This year's goal plan for every partner that has none, and action tasks in proportion to
the partner's size: most done over the past year, the rest due in the coming weeks with their
reminders still ahead (none is due the moment the program is loaded)."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from openprm.demo.bulk.context import Program
from openprm.demo.bulk.sizes import spread
from openprm.demo.goals import TASK_TITLES
from openprm.goals.models import ActionTask, GoalPlan, Reminder

DONE_SHARE = 0.7


def _plans(program: Program) -> dict[int, int]:
    """Partner id -> this year's plan id, written for the partners without one."""
    year = program.today.year
    plans = dict(GoalPlan.objects.filter(year=year).values_list("organization_id", "pk"))
    new = []
    for partner in program.partners:
        if partner.id not in plans:
            plans[partner.id] = program.writer.ids(GoalPlan, 1)[0]
            new.append(
                GoalPlan(
                    id=plans[partner.id],
                    organization_id=partner.id,
                    year=year,
                    currency_id="USD",
                    created_by_id=partner.admin_id,
                )
            )
    program.writer.write(GoalPlan, new)
    return plans


def _task(program: Program, plan_id: int, assignee: int, now: datetime) -> ActionTask:
    rng = program.rng
    title, kind, priority = rng.choice(TASK_TITLES)
    done = rng.random() < DONE_SHARE
    if done:
        due = now - timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23))
        remind_at = None
    else:
        due = now + timedelta(days=rng.randint(2, 60), hours=rng.randint(0, 23))
        remind_at = due - timedelta(days=1)
    return ActionTask(
        id=program.writer.ids(ActionTask, 1)[0],
        plan_id=plan_id,
        title=title,
        task_type=kind,
        priority=priority,
        assignee_id=assignee,
        due_at=due,
        done=done,
        completed_at=due if done else None,
        reminder=Reminder.NONE if done else Reminder.CUSTOM,
        remind_at=remind_at,
        created_by_id=assignee,
    )


def build_tasks(program: Program) -> None:
    plans = _plans(program)
    missing = max(0, program.size.tasks - ActionTask.objects.count())
    wanted = spread(missing, [p.share for p in program.partners])
    now = max(timezone.now(), datetime.combine(program.today, time(9), tzinfo=UTC))
    program.progress.start("tasks", missing)
    for partner, number in zip(program.partners, wanted, strict=True):
        tasks = [
            _task(program, plans[partner.id], program.rng.choice(partner.user_ids), now)
            for _ in range(number)
        ]
        program.writer.write(ActionTask, tasks)
        program.progress.advance(number)
    program.progress.finish()
    program.count("tasks", ActionTask.objects.count())
