"""A finder's mark (openprm.core.marks): absent before its first run, moved by each later run,
never moved back by a run for an earlier time."""

import datetime

import pytest

from openprm.core.marks import COMMIT_MARGIN, mark_run, since_last_run

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def test_a_finder_that_never_ran_looks_at_everything():
    assert since_last_run("reminders") is None


def test_the_next_run_looks_from_the_last_run_less_the_margin():
    mark_run("reminders", now=NOON, checked_at=NOON + HOUR)
    since = since_last_run("reminders")
    assert since is not None
    assert (since.due_after, since.saved_from) == (
        NOON - COMMIT_MARGIN,
        NOON + HOUR - COMMIT_MARGIN,
    )


def test_a_run_for_an_earlier_time_leaves_the_mark_where_it_was():
    mark_run("reminders", now=NOON, checked_at=NOON)
    mark_run("reminders", now=NOON - HOUR, checked_at=NOON + HOUR)
    since = since_last_run("reminders")
    assert since is not None
    assert since.last_now == NOON
