"""Small factories for goals tests; crm's own factories are written elsewhere in parallel."""

import datetime as dt

import factory
from django.utils import timezone

from openprm.accounts.tests.factories import PartnerFactory
from openprm.crm.models import (
    Customer,
    ExchangeRate,
    Opportunity,
    OpportunityKind,
    OpportunityState,
    Source,
)
from openprm.goals.models import ActionTask, GoalPlan, Metric, MonthlyTarget


class CustomerFactory(factory.django.DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    country = "US"
    currency_id = "USD"


class OpportunityFactory(factory.django.DjangoModelFactory[Opportunity]):
    """An open sourced shared deal in USD, opened now."""

    class Meta:
        model = Opportunity

    organization = factory.SubFactory(PartnerFactory)
    customer = factory.SubFactory(CustomerFactory)
    kind = OpportunityKind.SHARED_DEAL
    source = Source.SOURCED
    name = factory.Sequence(lambda n: f"Deal {n}")
    amount_minor = 100_000
    mrr_minor = 10_000
    currency_id = "USD"
    state = OpportunityState.OPEN
    opened_at = factory.LazyFunction(timezone.now)


def won_on(day: dt.date, **fields) -> Opportunity:
    """A won opportunity closed on `day` (opened the same day unless told otherwise)."""
    opened = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    return OpportunityFactory.create(
        state=OpportunityState.WON, closed_on=day, **{"opened_at": opened, **fields}
    )


class ExchangeRateFactory(factory.django.DjangoModelFactory[ExchangeRate]):
    class Meta:
        model = ExchangeRate

    currency_id = "JPY"
    valid_from = dt.date(2020, 1, 1)
    usd_per_unit = "0.0070000000"


class GoalPlanFactory(factory.django.DjangoModelFactory[GoalPlan]):
    """A plan whose 48 targets exist (at 0), as the create service leaves it."""

    class Meta:
        model = GoalPlan
        skip_postgeneration_save = True

    organization = factory.SubFactory(PartnerFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    currency_id = "USD"

    @factory.post_generation
    def targets(obj: GoalPlan, create: bool, extracted: dict | None, **kwargs) -> None:
        """`targets={("sourced_won", 1): 6}` sets cells; the rest are 0."""
        values = extracted or {}
        MonthlyTarget.objects.bulk_create(
            MonthlyTarget(
                plan=obj, metric=metric, month=month, value=values.get((metric, month), 0)
            )
            for metric in Metric.values
            for month in range(1, 13)
        )


def action_task(plan: GoalPlan, assignee, **fields) -> ActionTask:
    """A task made the way users make it (through the service), due tomorrow at 09:00 UTC."""
    from openprm.goals.tasks.services import action_task_create

    values = {
        "title": "Call Contoso about the renewal",
        "task_type": "call",
        "priority": "high",
        "assignee_id": assignee.pk,
        "due_at": dt.datetime.combine(
            timezone.now().date() + dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC
        ),
        "reminder": "1h",
        **fields,
    }
    return action_task_create(plan=plan, actor=assignee, fields=values)
