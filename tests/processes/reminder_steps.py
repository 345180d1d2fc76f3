"""Steps of the task reminder end-to-end test, run in their own process against the scratch
database: `python -m tests.processes.reminder_steps STEP [ARG]`; each prints JSON."""

import json
import sys
from datetime import timedelta

import django


def main() -> None:
    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from openprm.accounts.models import Membership, Organization, User
    from openprm.accounts.roles import OrganizationKind, Role
    from openprm.core.tasks import sweep_due_work
    from openprm.goals.models import ActionTask, GoalPlan
    from openprm.goals.tasks.services import action_task_create
    from openprm.notifications.models import Notification

    step, *args = sys.argv[1:]
    out: object = None
    if step == "setup":
        partner = Organization.objects.create(
            name="Northwind Traders", slug="northwind", kind=OrganizationKind.PARTNER
        )
        user = User.objects.create_user("alice@northwind.example", "x", full_name="Alice")
        Membership.objects.create(user=user, organization=partner, role=Role.PARTNER_ADMIN)
        plan = GoalPlan.objects.create(
            organization=partner, year=timezone.now().year, currency_id="USD"
        )
        out = plan.pk
    elif step == "task":
        # A task whose 1-hour-before reminder falls `args[1]` seconds from now.
        user = User.objects.get(email="alice@northwind.example")
        due = timezone.now() + timedelta(hours=1, seconds=int(args[1]))
        with transaction.atomic():
            task = action_task_create(
                plan=GoalPlan.objects.get(),
                actor=user,
                fields={"title": args[0], "assignee_id": user.pk, "due_at": due, "reminder": "1h"},
            )
        assert task.remind_at is not None
        out = {"id": task.pk, "remind_at": task.remind_at.isoformat()}
    elif step == "killed-while-running":
        # What a worker killed inside the reminder job leaves: its row RUNNING since long ago.
        DBTaskResult.objects.ready().filter(task_path__endswith="send_task_reminder").update(
            status="RUNNING",
            started_at=timezone.now() - timedelta(hours=1),
            worker_ids=["killed"],
        )
    elif step == "enqueue-sweep":
        sweep_due_work.enqueue()
    elif step == "state":
        out = {
            "notifications": [
                {"cause": n.cause, "message_id": n.message_id, "emailed": n.emailed_at is not None}
                for n in Notification.objects.order_by("pk")
            ],
            "tasks": [
                {"task": r.task_name, "status": r.status, "return_value": r.return_value}
                for r in DBTaskResult.objects.order_by("enqueued_at")
            ],
            "sent": list(
                ActionTask.objects.filter(reminder_sent_at__isnull=False)
                .order_by("pk")
                .values_list("title", flat=True)
            ),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
