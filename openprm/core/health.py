"""What `/healthz` checks: that the database answers a real read, the smallest one there is."""

from django.db import DatabaseError
from django.db.migrations.recorder import MigrationRecorder


def database_answers() -> bool:
    """One row read by primary key from Django's own migration table, which every installed
    database holds, so the check needs no app's data and no program to exist."""
    try:
        MigrationRecorder.Migration.objects.filter(pk=1).values_list("pk", flat=True).first()
    except DatabaseError:
        return False
    return True
