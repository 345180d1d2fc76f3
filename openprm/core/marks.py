"""Watermarks of the sweep's due-work finders: what a finder must look at since its last
complete run, so an idle sweep costs the same on ten partners as on ten thousand.

A finder whose due rows are not all in one indexed column (a registration is due when its
expiry has passed *and* its opportunity is still open) reads the rows whose due time fell
since its last run, or that were saved since, instead of every row ever due. The first run
(no mark yet) looks at everything.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from openprm.core.models import SweepMark

# `updated_at` is set when a row is saved, before its transaction commits: a row saved this long
# before the last run began may have become visible only after it, so it is looked at again.
COMMIT_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Since:
    """The last complete run: `due_after` bounds due-time columns (exclusive), `saved_from`
    bounds `updated_at` (inclusive); both less the margin. `last_now` is that run's `now`."""

    last_now: datetime
    due_after: datetime
    saved_from: datetime


def since_last_run(name: str) -> Since | None:
    mark = SweepMark.objects.filter(name=name).first()
    if mark is None:
        return None
    return Since(
        last_now=mark.due_through,
        due_after=mark.due_through - COMMIT_MARGIN,
        saved_from=mark.checked_at - COMMIT_MARGIN,
    )


def mark_run(name: str, *, now: datetime, checked_at: datetime) -> None:
    """After a complete run for `now` that began at `checked_at`: one UPDATE once the mark
    exists. A run for an earlier `now` never moves the mark back."""
    moved = SweepMark.objects.filter(name=name, due_through__lte=now).update(
        due_through=now, checked_at=checked_at
    )
    if not moved:
        SweepMark.objects.get_or_create(
            name=name, defaults={"due_through": now, "checked_at": checked_at}
        )
