"""Backups an operator can restore whole: the database and the uploaded files in one archive.

The archive is a tar file holding a manifest, the database (SQLite's online backup API, or
pg_dump's custom format) and the uploaded files, read from and restored into the file storage
(the media folder, or the bucket of OPENPRM_MEDIA_STORAGE=s3). The database is copied first and
the files after it, so every attachment row in the copy finds its file in the archive. A bare
database file, as older versions wrote, still restores (database only).
"""

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
MANIFEST = "openprm-backup.json"
FORMAT = 1
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media"


class BackupError(Exception):
    """A refusal or failure to explain to the operator, without a traceback."""


def database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def engine() -> str:
    found = {
        "django.db.backends.sqlite3": "sqlite",
        "django.db.backends.postgresql": "postgresql",
    }.get(database()["ENGINE"])
    if found is None:
        raise BackupError(f"Backups of {database()['ENGINE']} are not supported.")
    return found


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


def copy_database(target: Path) -> None:
    if engine() == "sqlite":
        source = sqlite3.connect(database()["NAME"])
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        run_pg_tool(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"])


def media_files() -> list[str]:
    """The name of every file in storage, walking its folders (none before the first upload)."""
    names: list[str] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        names += [f"{folder}{name}" for name in files]
        folders += [f"{folder}{name}/" for name in subfolders]
    return sorted(names)


def add_stored_file(archive: tarfile.TarFile, name: str, mtime: float) -> None:
    with default_storage.open(name, "rb") as handle:
        member = tarfile.TarInfo(f"{MEDIA_PREFIX}/{name}")
        member.size, member.mtime = handle.size, mtime
        archive.addfile(member, handle)


def backup(target: Path, *, force: bool = False) -> int:
    """Writes the archive; answers how many uploaded files it holds."""
    if target.exists() and not force:
        raise BackupError(f"{target} exists; give --force to overwrite it.")
    kind = engine()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        dump = Path(scratch) / DATABASE_MEMBERS[kind]
        copy_database(dump)
        files = media_files()
        manifest = {"format": FORMAT, "engine": kind, "created_at": timezone.now().isoformat(),
                    "media_files": len(files)}  # fmt: skip
        (Path(scratch) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        with tarfile.open(partial, "w") as archive:
            archive.add(Path(scratch) / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            for name in files:
                add_stored_file(archive, name, time.time())
    partial.replace(target)
    return len(files)


def storage_description() -> str:
    location = getattr(default_storage, "location", "") or ""
    bucket = getattr(default_storage, "bucket_name", None)
    return f"bucket {bucket}" if bucket else str(location)


def has_tables() -> bool:
    return bool(connection.introspection.table_names())


def restore_database(dump: Path) -> None:
    header = dump.read_bytes()[:16]
    connection.close()
    if engine() == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(f"{dump.name} is not a SQLite backup.")
        backup_db = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        live = sqlite3.connect(database()["NAME"], timeout=30)
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    else:
        if not header.startswith(PG_CUSTOM_HEADER):
            raise BackupError(f"{dump.name} is not a pg_dump custom-format backup.")
        run_pg_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                     f"--dbname={database()['NAME']}", str(dump)])  # fmt: skip


@contextmanager
def unpacked(source: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """The archive's manifest and a folder it is unpacked into, checked before anything is
    replaced. Members are extracted with tarfile's "data" filter: no absolute paths, links out
    of the folder or device files."""
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(source) as archive:
        try:
            member = archive.extractfile(MANIFEST)
            manifest = json.load(member) if member else None
        except (KeyError, ValueError, tarfile.TarError):
            manifest = None
        if not isinstance(manifest, dict):
            raise BackupError(f"{source} has no readable {MANIFEST}.")
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{source} is a backup format this version cannot read.")
        if manifest.get("engine") != engine():
            raise BackupError(
                f"{source} holds a {manifest.get('engine')} database; this installation runs "
                f"{engine()}."
            )
        try:
            archive.extractall(scratch, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"{source} cannot be unpacked: {exc}") from exc
        yield manifest, Path(scratch)


def replace_media(folder: Path) -> None:
    """Storage holds exactly the archive's files afterwards, each under its own name (the name
    its row in the database keeps)."""
    for name in media_files():
        default_storage.delete(name)
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        with path.open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=path.name))
        if saved != name:
            raise BackupError(f"The file storage renamed {name} to {saved}.")


def restore(source: Path, *, force: bool = False) -> int | None:
    """Replaces the database, and the uploaded files when the archive has them (answers how
    many; None for a bare database file of an older version)."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    if has_tables() and not force:
        raise BackupError("The database is not empty; give --force to replace it with the backup.")
    if not tarfile.is_tarfile(source):
        restore_database(source)
        return None
    if media_files() and not force:
        raise BackupError(
            f"The file storage ({storage_description()}) holds files; give --force to replace them."
        )
    with unpacked(source) as (manifest, folder):
        dump = folder / DATABASE_MEMBERS[manifest["engine"]]
        if not dump.is_file():
            raise BackupError(f"{source} holds no database.")
        restore_database(dump)
        replace_media(folder / MEDIA_PREFIX)
    return int(manifest.get("media_files", 0))
