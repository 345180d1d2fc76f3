"""Report reads on a read replica (OPENPRM_REPLICA_DATABASE_URL; docs/operations.md).

Dashboards, report tables, the channel dashboard and report exports read many rows and write
none: inside `report_reads()` (or a function decorated with `reads_reports`) their queries go
to the `replica` database when one is configured. Everything else, every write, and every read
outside those blocks (sign-in, permissions, forms, the API's single objects) goes to `default`,
so nobody reads their own write from a replica that has not caught up yet. A report may then
lag the primary by the replica's delay, which reports tolerate.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_reporting: ContextVar[bool] = ContextVar("openprm_report_reads", default=False)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def report_reads() -> Iterator[None]:
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reads_reports(function: Callable[P, R]) -> Callable[P, R]:
    """Runs `function` inside `report_reads()`: it must only read, and return evaluated rows
    (a lazy queryset would be evaluated later, on `default`)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with report_reads():
            return function(*args, **kwargs)

    return wrapper


def reading_reports() -> bool:
    return _reporting.get()


class ReportReadRouter:
    """Installed by settings only when the replica is configured."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return REPLICA if reading_reports() and REPLICA in settings.DATABASES else DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by replication
