"""Steps of the worker end-to-end test, run in their own process against the scratch database:
`python -m tests.processes.worker_steps STEP [ARG]`; each prints JSON."""

import json
import sys
from datetime import timedelta

import django


def main() -> None:
    django.setup()
    from django.db import transaction
    from django.db.models import F
    from django_tasks_db.models import DBTaskResult

    from openprm.accounts.models import Membership, Organization, User
    from openprm.accounts.roles import OrganizationKind, Role
    from openprm.core.tasks import sweep_due_work
    from openprm.notifications.kinds import TASK_REMINDER
    from openprm.notifications.models import Notification
    from openprm.notifications.services import notify

    step, *args = sys.argv[1:]
    out: object = None
    if step == "setup":
        partner = Organization.objects.create(
            name="Northwind Traders", slug="northwind", kind=OrganizationKind.PARTNER
        )
        user = User.objects.create_user("alice@northwind.example", "x", full_name="Alice")
        Membership.objects.create(user=user, organization=partner, role=Role.PARTNER_ADMIN)
        out = user.pk
    elif step == "notify":
        user = User.objects.get(email="alice@northwind.example")
        with transaction.atomic():
            first = notify(recipient=user, kind=TASK_REMINDER, cause=args[0], title=args[0])
            again = notify(recipient=user, kind=TASK_REMINDER, cause=args[0], title=args[0])
        out = [first.pk, again.pk]
    elif step == "age-running":
        # As if the clock moved on by that many minutes since the worker was killed.
        delta = timedelta(minutes=int(args[0]))
        DBTaskResult.objects.running().update(started_at=F("started_at") - delta)
        Notification.objects.filter(email_claimed_at__isnull=False).update(
            email_claimed_at=F("email_claimed_at") - delta
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
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
