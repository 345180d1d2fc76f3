"""How far the worker is through a large file. The rows are written in one transaction, which
no other connection sees before it commits, so the count lives in a small file of its own
(beside the uploads) rather than in the import's row."""

import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from openprm.imports.models import ImportJob

# How many times a run reports its progress, at most.
STEPS = 100


def path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{job_id}.txt"


def write(job_id: int, done: int, total: int) -> None:
    target = path(job_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    partial.write_text(f"{done} {total}", encoding="ascii")
    os.replace(partial, target)


def start(job: ImportJob) -> None:
    write(job.pk, 0, job.row_count)


def reporter(job: ImportJob) -> Callable[[int], None]:
    total = job.row_count
    every = max(1, total // STEPS)

    def report(done: int) -> None:
        if done % every == 0 or done == total:
            write(job.pk, done, total)

    return report


def percent(job: ImportJob) -> int:
    """0 to 100; 0 when nothing was reported yet."""
    try:
        done, total = (int(part) for part in path(job.pk).read_text(encoding="ascii").split())
    except (FileNotFoundError, ValueError):
        return 0
    return min(100, done * 100 // total) if total else 0


def forget(job_id: int) -> None:
    path(job_id).unlink(missing_ok=True)
