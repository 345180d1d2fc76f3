"""Background tasks of the platform itself."""

from django_tasks import TaskContext, task

from openprm.core.sweep import run_sweep


@task(takes_context=True)
def sweep_due_work(context: TaskContext) -> dict:
    """Enqueued by the scheduler every OPENPRM_SWEEP_SECONDS; see openprm.core.sweep."""
    return run_sweep(current_task_id=str(context.task_result.id))
