"""Several server hosts on one installation: uploaded files in a shared storage (a bucket),
the cache and sessions on Redis; configured by environment variables (docs/operations.md)."""

import io
import os
import tarfile
import uuid

import pytest
import redis
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.views.debug import SafeExceptionReporterFilter

from openprm.core import backup
from openprm.settings import cache_settings, media_storage, session_engine

REDIS_URL = os.environ.get("OPENPRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def test_files_stay_in_the_media_folder_by_default():
    assert media_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_storage_takes_its_bucket_endpoint_and_keys_from_the_environment():
    storage = media_storage("s3", {"OPENPRM_S3_BUCKET": "prm-files",
                                   "OPENPRM_S3_ENDPOINT_URL": "https://minio.internal:9000",
                                   "OPENPRM_S3_ACCESS_KEY_ID": "id",
                                   "OPENPRM_S3_SECRET_ACCESS_KEY": "secret"})  # fmt: skip
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] | {"bucket_name": "prm-files"} == storage["OPTIONS"]
    assert storage["OPTIONS"]["endpoint_url"] == "https://minio.internal:9000"
    assert (storage["OPTIONS"]["access_key"], storage["OPTIONS"]["secret_key"]) == ("id", "secret")
    assert storage["OPTIONS"]["file_overwrite"] is False


def test_s3_storage_without_a_bucket_is_refused_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="OPENPRM_S3_BUCKET"):
        media_storage("s3", {})


def test_an_unknown_storage_kind_is_refused_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="OPENPRM_MEDIA_STORAGE"):
        media_storage("ftp", {})


def test_sessions_are_read_through_a_redis_cache_and_stay_in_the_database_otherwise():
    assert session_engine(cache_settings(REDIS_URL)).endswith("cached_db")
    assert session_engine(cache_settings("")).endswith(".db")
    assert session_engine(cache_settings("database")).endswith(".db")


@pytest.mark.django_db
def test_the_backup_reads_every_file_of_the_bucket(media_bucket):
    default_storage.save("deal-attachments/2026/12/quote.pdf", ContentFile(b"quote"))
    default_storage.save("exports/2026/12/export-1.csv", ContentFile(b"a,b\n"))
    assert backup.media_files() == [
        "deal-attachments/2026/12/quote.pdf",
        "exports/2026/12/export-1.csv",
    ]
    written = io.BytesIO()
    with tarfile.open(fileobj=written, mode="w") as archive:
        backup.add_stored_file(archive, "deal-attachments/2026/12/quote.pdf", 0)
    with tarfile.open(fileobj=io.BytesIO(written.getvalue())) as archive:
        member = archive.extractfile("media/deal-attachments/2026/12/quote.pdf")
        assert member is not None
        assert member.read() == b"quote"


@pytest.mark.django_db
def test_a_restore_leaves_the_bucket_holding_exactly_the_archives_files(media_bucket, tmp_path):
    default_storage.save("later.png", ContentFile(b"uploaded after the backup"))
    unpacked = tmp_path / "media" / "deal-attachments" / "2026" / "12"
    unpacked.mkdir(parents=True)
    (unpacked / "quote.pdf").write_bytes(b"quote")
    backup.replace_media(tmp_path / "media")
    assert [item.key for item in media_bucket.objects.all()] == [
        "deal-attachments/2026/12/quote.pdf"
    ]
    assert media_bucket.Object("deal-attachments/2026/12/quote.pdf").get()["Body"].read() == (
        b"quote"
    )


@pytest.fixture
def redis_cache(settings):
    """Django's Redis cache on the test server, under a key prefix of this test's own (other
    work may share the server: its keys are never touched)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if CI:
            raise
        pytest.skip(f"no Redis server at {REDIS_URL}")
    prefix = f"openprm-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {**cache_settings(REDIS_URL)["default"], "KEY_PREFIX": prefix}}
    settings.SESSION_ENGINE = session_engine(settings.CACHES)
    yield caches["default"]
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def test_a_sign_in_is_kept_in_redis_for_every_server_process(client, alice, redis_cache):
    client.force_login(alice)
    session_key = client.session.session_key
    assert redis_cache.get(SESSION_KEY_PREFIX + session_key) is not None
    assert client.get("/api/v1/me").json()["email"] == alice.email


def test_signing_out_removes_the_session_from_redis(client, alice, redis_cache):
    client.force_login(alice)
    session_key = client.session.session_key
    client.post("/logout/")
    assert redis_cache.get(SESSION_KEY_PREFIX + session_key) is None


def test_error_reports_hide_the_buckets_keys(settings):
    settings.STORAGES = {**settings.STORAGES, "default": media_storage("s3", {
        "OPENPRM_S3_BUCKET": "prm-files", "OPENPRM_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
        "OPENPRM_S3_SECRET_ACCESS_KEY": "s3cret"})}  # fmt: skip
    shown = SafeExceptionReporterFilter().get_safe_settings()["STORAGES"]["default"]["OPTIONS"]
    assert "s3cret" not in str(shown)
    assert "AKIAEXAMPLE" not in str(shown)
