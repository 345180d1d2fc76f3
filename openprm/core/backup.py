"""Consistent copies of the database: SQLite's online backup API, or pg_dump's custom format."""

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


class BackupError(Exception):
    """A refusal or failure to explain to the operator, without a traceback."""


def database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def is_sqlite() -> bool:
    return database()["ENGINE"] == "django.db.backends.sqlite3"


def is_postgres() -> bool:
    return database()["ENGINE"] == "django.db.backends.postgresql"


def pg_environment() -> dict[str, str]:
    db = database()
    env = dict(os.environ)
    for key, variable in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")]:  # fmt: skip
        if db.get(key):
            env[variable] = str(db[key])
    return env


def run_pg_tool(args: list[str]) -> None:
    try:
        result = subprocess.run(args, env=pg_environment(), capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{args[0]} is not installed (PostgreSQL client tools).") from exc
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def backup(target: Path, *, force: bool = False) -> None:
    if target.exists() and not force:
        raise BackupError(f"{target} exists; give --force to overwrite it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite():
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        source = sqlite3.connect(database()["NAME"])
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        partial.replace(target)
    elif is_postgres():
        run_pg_tool(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"])
    else:
        raise BackupError(f"Backups of {database()['ENGINE']} are not supported.")


def has_tables() -> bool:
    return bool(connection.introspection.table_names())


def restore(source: Path, *, force: bool = False) -> None:
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    header = source.read_bytes()[:16]
    if has_tables() and not force:
        raise BackupError("The database is not empty; give --force to replace it with the backup.")
    connection.close()
    if is_sqlite():
        if header != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite backup.")
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(database()["NAME"], timeout=30)
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif is_postgres():
        if not header.startswith(PG_CUSTOM_HEADER):
            raise BackupError(f"{source} is not a pg_dump custom-format backup.")
        run_pg_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                     f"--dbname={database()['NAME']}", str(source)])  # fmt: skip
    else:
        raise BackupError(f"Restoring {database()['ENGINE']} is not supported.")
