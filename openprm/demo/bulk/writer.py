"""Rows written in batches with ids given out here: COPY on PostgreSQL, multi-row INSERTs
elsewhere, then the id sequences moved past them; and the progress bar on stderr."""

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from typing import Any, TextIO

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Max
from django.utils import timezone

BATCH = 5_000


class Progress:
    """One line on stderr per step, redrawn at most every half second: label, bar, count."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.label = ""
        self.total = 0
        self.done = 0
        self.started = self.drawn = time.monotonic()

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started = time.monotonic()
        self._draw()

    def advance(self, number: int = 1) -> None:
        self.done += number
        if time.monotonic() - self.drawn >= 0.5:
            self._draw()

    def finish(self) -> None:
        self.done = max(self.done, self.total)
        self._draw()
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        self.drawn = time.monotonic()
        filled = min(self.width, self.width * self.done // self.total)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = self.drawn - self.started
        self.stream.write(
            f"\r{self.label:<24} [{bar}] {min(self.done, self.total):>9}/{self.total:<9} "
            f"{elapsed:6.1f} s"
        )
        self.stream.flush()


class BulkWriter:
    """Gives out ids per table and writes model instances built with them."""

    def __init__(self) -> None:
        self.next_id: dict[type[models.Model], int] = {}
        self.written: set[type[models.Model]] = set()
        # The connection itself, not the thread-local proxy: it is read for every value.
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.copy = self.connection.vendor == "postgresql"

    def ids(self, model: type[models.Model], number: int) -> range:
        if model not in self.next_id:
            top = model._base_manager.aggregate(top=Max("pk"))["top"] or 0
            self.next_id[model] = top + 1
        first = self.next_id[model]
        self.next_id[model] = first + number
        return range(first, first + number)

    def write(self, model: type[models.Model], rows: Iterable[models.Model]) -> int:
        """Write the instances (their ids set) in batches; returns how many."""
        # The database computes a generated column (a registration's awaiting_review) itself.
        fields = [f for f in model._meta.local_concrete_fields if not f.generated]
        getters = [_getter(field, self.connection) for field in fields]
        self.written.add(model)
        count = 0
        for batch in _batches(rows):
            values = [[get(row) for get in getters] for row in batch]
            if self.copy:
                self._copy(model, fields, values)
            else:
                self._insert(model, fields, values)
            count += len(values)
        return count

    def _copy(self, model: type[models.Model], fields: list[Any], values: list[list[Any]]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in values:
                copy.write_row(row)

    def _insert(
        self, model: type[models.Model], fields: list[Any], values: list[list[Any]]
    ) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {marks}"
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)

    def finish(self) -> None:
        """Move each written table's id sequence past the ids given out here."""
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.written, key=str))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _getter(field: models.Field, conn: Any) -> Callable[[models.Model], Any]:
    """How to read the field's database value off an instance, as bulk_create would write it,
    except that a creation time given here is kept. COPY takes PostgreSQL's Python values as
    they are, so only JSON goes through the field there."""
    attname = field.attname
    if getattr(field, "auto_now", False):
        now = field.get_db_prep_save(timezone.now(), conn)
        return lambda row: now
    if getattr(field, "auto_now_add", False):
        now = timezone.now()
        return lambda row: field.get_db_prep_save(getattr(row, attname) or now, conn)
    plain = type(field).__module__.startswith("django.db.models")  # not a third party's field
    if conn.vendor == "postgresql" and plain and not isinstance(field, models.JSONField):
        return attrgetter(attname)
    return lambda row: field.get_db_prep_save(getattr(row, attname), conn)


def _batches(rows: Iterable[models.Model]) -> Iterator[list[models.Model]]:
    batch: list[models.Model] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
