import pytest
from django_tasks_db.models import DBTaskResult


@pytest.fixture
def run_queued_tasks():
    """Runs what is queued, in this process, as a worker would: the task as stored."""

    def run() -> list:
        results = []
        for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
            results.append(row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
            DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")
        return results

    return run
