"""Background work of imports: the check or the import of a large file."""

from django_tasks import task

from openprm.imports.running import import_run


@task()
def run_import(job_id: int) -> str:
    return import_run(job_id=job_id)
