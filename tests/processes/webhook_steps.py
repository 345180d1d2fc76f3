"""Steps of the webhook end-to-end test, run in their own process against the scratch database:
`python -m tests.processes.webhook_steps STEP [ARG]`; each prints JSON."""

import json
import sys


def main() -> None:
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from openprm.accounts.models import Membership, Organization, User
    from openprm.accounts.roles import OrganizationKind, Role
    from openprm.deals.tests.factories import create_deal
    from openprm.webhooks import services
    from openprm.webhooks.models import Delivery

    step, *args = sys.argv[1:]
    out: object = None
    if step == "subscribe":
        partner = Organization.objects.create(
            name="Northwind Traders", slug="northwind", kind=OrganizationKind.PARTNER
        )
        alice = User.objects.create_user("alice@northwind.example", "x", full_name="Alice")
        Membership.objects.create(user=alice, organization=partner, role=Role.PARTNER_ADMIN)
        webhook, secret = services.webhook_create(
            actor=alice, url=args[0], event_types=["deal.created"]
        )
        out = {"webhook": webhook.pk, "secret": secret}
    elif step == "deal":
        out = create_deal(actor=User.objects.get(email="alice@northwind.example")).pk
    elif step == "state":
        out = {
            "deliveries": [
                {
                    "id": d.pk,
                    "state": d.state,
                    "claimed": d.claimed_at is not None,
                    "attempts": [a.response_code for a in d.attempts.all()],
                }
                for d in Delivery.objects.order_by("pk")
            ],
            "tasks": [
                {"task": r.task_name, "status": r.status}
                for r in DBTaskResult.objects.order_by("enqueued_at")
            ],
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
