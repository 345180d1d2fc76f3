"""Background jobs of the dashboard; each only calls a service that re-checks the state."""

from django_tasks import task

from openprm.dashboard.exports import export_build


@task()
def build_export(export_id: int) -> str:
    return export_build(export_id=export_id)
