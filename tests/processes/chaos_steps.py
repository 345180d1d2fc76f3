"""Steps of the crash test, run in their own process against the scratch database:
`python -m tests.processes.chaos_steps STEP [ARG]`; each prints JSON."""

import json
import sys

import django
from django.utils import timezone


def setup() -> dict:
    from openprm.accounts.models import Membership, Organization, User
    from openprm.accounts.roles import OrganizationKind, Role
    from openprm.accounts.services import api_token_create
    from openprm.crm.tests.factories import CustomerFactory, ProductFactory
    from openprm.goals.models import GoalPlan

    vendor = Organization.objects.create(
        name="Contoso Software", slug="contoso", kind=OrganizationKind.VENDOR
    )
    reviewer = User.objects.create_user("rita@contoso.example", "x", full_name="Rita")
    Membership.objects.create(user=reviewer, organization=vendor, role=Role.REVIEWER)
    partner = Organization.objects.create(
        name="Northwind Traders", slug="northwind", kind=OrganizationKind.PARTNER
    )
    alice = User.objects.create_user("alice@northwind.example", "x", full_name="Alice")
    Membership.objects.create(user=alice, organization=partner, role=Role.PARTNER_ADMIN)
    plan = GoalPlan.objects.create(
        organization=partner, year=timezone.now().year, currency_id="USD"
    )
    _token, secret = api_token_create(user=alice, name="crash test")
    return {
        "token": secret,
        "plan_id": plan.pk,
        "assignee_id": alice.pk,
        "customer_ids": [CustomerFactory.create().pk for _ in range(400)],
        "product_id": ProductFactory.create().pk,
    }


def state(acknowledged: dict[str, list[dict]]) -> dict:
    """What the database holds of each acknowledged write, and every notification."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from openprm.core.models import IdempotencyKey
    from openprm.crm.models import Contact
    from openprm.deals.models import Deal, Registration
    from openprm.goals.models import ActionTask
    from openprm.notifications.models import Notification

    def whole_deal(pk: int) -> bool:
        deal = Deal.objects.filter(pk=pk).select_related("opportunity").first()
        return (
            deal is not None
            and deal.opportunity.products.count() == 1
            and Registration.objects.filter(opportunity=deal.opportunity).count() == 1
        )

    checks = {
        "contacts": lambda pk: Contact.objects.filter(pk=pk).exists(),
        "tasks": lambda pk: ActionTask.objects.filter(pk=pk).exists(),
        "deals": whole_deal,
    }
    names = {
        "contacts": Contact.objects.values_list("first_name", flat=True),
        "tasks": ActionTask.objects.values_list("title", flat=True),
        "deals": Deal.objects.values_list("opportunity__name", flat=True),
    }
    return {
        "missing": [
            write
            for kind, writes in acknowledged.items()
            for write in writes
            if not checks[kind](write["id"])
        ],
        "names": {kind: list(values) for kind, values in names.items()},
        "reminders_due": [
            {"id": task.pk, "cause": f"task-reminder:{task.pk}:{task.remind_at.isoformat()}"}
            for task in ActionTask.objects.filter(remind_at__lte=timezone.now())
            if task.remind_at is not None
        ],
        "notifications": [
            {"cause": n.cause, "message_id": n.message_id, "emailed": n.emailed_at is not None}
            for n in Notification.objects.order_by("pk")
        ],
        "duplicate_causes": list(
            Notification.objects.values("cause").annotate(n=Count("id")).filter(n__gt=1)
        ),
        "unfinished_tasks": DBTaskResult.objects.exclude(status="SUCCESSFUL").count(),
        "keys_in_progress": IdempotencyKey.objects.filter(status_code__isnull=True).count(),
    }


def main() -> None:
    django.setup()
    out = setup() if sys.argv[1] == "setup" else state(json.loads(sys.stdin.read()))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
