"""`openprm backup` and `openprm restore`: the database and the uploaded files, as one archive,
round-trip on SQLite and PostgreSQL; bad archives and non-empty targets are refused."""

import io
import json
import re
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.processes.support import OPENPRM, ROOT, django, postgres_url, run, scratch_database

ADMIN = ["createadmin", "--name", "A", "--password", "Slow-Lemon-Tree-42", "--no-input"]
EMAILS = "from openprm.accounts.models import User; print(sorted(User.objects.values_list('email', flat=True)))"  # noqa: E501


@pytest.fixture
def env(scratch_env: dict[str, str]):
    return scratch_env


def media(env: dict[str, str]) -> Path:
    return Path(env["OPENPRM_VAR_DIR"]) / "media"


def emails(env: dict[str, str]) -> str:
    return django(env, "shell", "-c", EMAILS).strip().splitlines()[-1]


def openprm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*OPENPRM, *args], env=env, cwd=ROOT, capture_output=True, text=True)


def test_backup_and_restore_round_trip_the_database_and_the_uploaded_files(env, tmp_path):
    run([*OPENPRM, *ADMIN, "--email", "kept@contoso.example"], env)
    quote = media(env) / "deals" / "attachments" / "2026" / "quote.pdf"
    quote.parent.mkdir(parents=True)
    quote.write_bytes(b"%PDF-1.7 the quote")
    archive = tmp_path / "backup.tar"
    result = run([*OPENPRM, "backup", str(archive)], env)
    assert "and 1 uploaded files" in result.stdout

    run([*OPENPRM, *ADMIN, "--email", "later@contoso.example"], env)
    quote.write_bytes(b"changed after the backup")
    (media(env) / "later.png").write_bytes(b"uploaded after the backup")
    run([*OPENPRM, "restore", "--force", str(archive)], env)

    assert emails(env) == "['kept@contoso.example']"
    assert quote.read_bytes() == b"%PDF-1.7 the quote"
    assert not (media(env) / "later.png").exists()


def test_restore_refuses_a_non_empty_database_and_changes_nothing(env, tmp_path):
    run([*OPENPRM, *ADMIN, "--email", "kept@contoso.example"], env)
    archive = tmp_path / "backup.tar"
    run([*OPENPRM, "backup", str(archive)], env)
    run([*OPENPRM, *ADMIN, "--email", "later@contoso.example"], env)
    refused = openprm(env, "restore", str(archive))
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    assert emails(env) == "['kept@contoso.example', 'later@contoso.example']"


def test_the_archive_holds_a_manifest_the_database_and_the_media_folder(env, tmp_path):
    (media(env) / "exports").mkdir(parents=True)
    (media(env) / "exports" / "export-1.csv").write_text("a,b\n")
    archive = tmp_path / "backup.tar"
    run([*OPENPRM, "backup", str(archive)], env)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("openprm-backup.json"))  # type: ignore[arg-type]
    engine = "postgresql" if postgres_url() else "sqlite"
    database = "database.pgdump" if postgres_url() else "database.sqlite3"
    assert {"openprm-backup.json", database, "media/exports/export-1.csv"} <= set(names)
    assert (manifest["format"], manifest["engine"], manifest["media_files"]) == (1, engine, 1)


@pytest.mark.skipif(postgres_url() is not None, reason="a SQLite file's own format")
def test_the_sqlite_copy_in_the_archive_is_a_complete_database(env, tmp_path):
    archive = tmp_path / "backup.tar"
    run([*OPENPRM, "backup", str(archive)], env)
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", tmp_path, filter="data")
    with sqlite3.connect(tmp_path / "database.sqlite3") as conn:
        # Django's SQLite backend provides REGEXP, which CHECK constraints use.
        conn.create_function("REGEXP", 2, lambda pattern, value: bool(re.search(pattern, value)))
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 10


@pytest.mark.skipif(postgres_url() is not None, reason="older versions' bare SQLite file")
def test_a_bare_database_file_of_an_older_version_still_restores(env, tmp_path):
    run([*OPENPRM, *ADMIN, "--email", "kept@contoso.example"], env)
    bare = tmp_path / "old.sqlite3"
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as live:
        live.backup(sqlite3.connect(bare))
    run([*OPENPRM, *ADMIN, "--email", "later@contoso.example"], env)
    result = run([*OPENPRM, "restore", "--force", str(bare)], env)
    assert "no uploads" in result.stdout
    assert emails(env) == "['kept@contoso.example']"


def test_restore_into_an_empty_database_refuses_a_media_folder_that_holds_files(env, tmp_path):
    archive = tmp_path / "backup.tar"
    run([*OPENPRM, "backup", str(archive)], env)
    (tmp_path / "fresh").mkdir()
    with scratch_database(tmp_path / "fresh") as fresh:
        media(fresh).mkdir(parents=True)
        (media(fresh) / "keep.pdf").write_bytes(b"keep")
        refused = openprm(fresh, "restore", str(archive))
        assert refused.returncode == 1
        assert "holds files; give --force" in refused.stderr
        assert (media(fresh) / "keep.pdf").read_bytes() == b"keep"
        run([*OPENPRM, "restore", str(archive)], {**fresh, "OPENPRM_VAR_DIR": str(tmp_path / "v")})


def test_backup_refuses_to_overwrite_a_file_without_force(env, tmp_path):
    existing = tmp_path / "existing"
    existing.write_text("keep me")
    result = openprm(env, "backup", str(existing))
    assert result.returncode == 1
    assert existing.read_text() == "keep me"


def test_restore_refuses_a_file_that_is_not_a_backup(env, tmp_path):
    bogus = tmp_path / "bogus"
    bogus.write_text("not a database")
    result = openprm(env, "restore", "--force", str(bogus))
    assert result.returncode == 1
    assert "not a" in result.stderr


def test_restore_refuses_an_archive_that_writes_outside_its_folder(env, tmp_path):
    archive = tmp_path / "evil.tar"
    engine = "postgresql" if postgres_url() else "sqlite"
    manifest = json.dumps({"format": 1, "engine": engine, "media_files": 1}).encode()
    with tarfile.open(archive, "w") as tar:
        for name, data in [("openprm-backup.json", manifest), ("../../escaped.txt", b"x")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    result = openprm(env, "restore", "--force", str(archive))
    assert result.returncode == 1
    assert "cannot be unpacked" in result.stderr
    assert not list(tmp_path.parent.parent.glob("escaped.txt"))
