"""How far the worker is through a large file. The rows are written in one transaction, which
no other connection sees before it commits, so the count lives in a small file of its own
beside the uploads, in the file storage that every server and worker shares (the media folder
or a bucket), rather than in the import's row."""

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from openprm.imports.models import ImportJob

# How many times a run reports its progress, at most.
STEPS = 100


def name(job_id: int) -> str:
    return f"imports/progress/{job_id}.txt"


def write(job_id: int, done: int, total: int) -> None:
    """Replaces the count: storages keep an existing name by saving under another, so the old
    one goes first (a page reading in between sees 0 % for that moment)."""
    default_storage.delete(name(job_id))
    default_storage.save(name(job_id), ContentFile(f"{done} {total}".encode("ascii")))


def start(job: ImportJob) -> None:
    write(job.pk, 0, job.row_count)


def reporter(job: ImportJob) -> Callable[[int], None]:
    """Hears of every row, or of a chunk of rows at a time, and writes the count when it has
    grown by a STEPS-th of the file since the last write, and at the end."""
    total = job.row_count
    every = max(1, total // STEPS)
    reported = 0

    def report(done: int) -> None:
        nonlocal reported
        if done - reported >= every or done == total:
            write(job.pk, done, total)
            reported = done

    return report


def percent(job: ImportJob) -> int:
    """0 to 100; 0 when nothing was reported yet."""
    try:
        with default_storage.open(name(job.pk), "rb") as handle:
            done, total = (int(part) for part in handle.read().decode("ascii").split())
    except (FileNotFoundError, ValueError):
        return 0
    return min(100, done * 100 // total) if total else 0


def forget(job_id: int) -> None:
    default_storage.delete(name(job_id))
