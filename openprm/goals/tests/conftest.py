import datetime as dt

import pytest

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory

# Every goals test runs on 15 May 2026: January to April have ended, May is the current month.
TODAY = dt.datetime(2026, 5, 15, 12, 0, tzinfo=dt.UTC)
YEAR = 2026


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def paula(vendor, tailspin):
    """Another PDM: Tailspin's, never Northwind's."""
    user = MembershipFactory(
        organization=vendor, role=Role.PDM, user__email="paula@contoso.example"
    ).user
    tailspin.pdm = user
    tailspin.save()
    return user


@pytest.fixture
def run_due_tasks():
    """Runs what the queue holds and is due now, in this process, as a worker would."""
    from django_tasks_db.models import DBTaskResult

    def run() -> list:
        results = []
        for row in DBTaskResult.objects.ready().order_by("run_after", "enqueued_at"):
            results.append(row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
            DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")
        return results

    return run
