"""Test-wide settings and the standing cast every suite uses.

Northwind Traders (partner): alice, its partner admin; bob, a partner user scoped to the US.
Tailspin Toys (partner): charlie, its partner admin, who must never see Northwind's data.
The vendor: victor, the program admin; pam, the PDM of Northwind.
"""

import os

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from openprm.accounts.tests import cast

# CI: reproducible examples, no per-example deadline on a shared 2-core runner, more examples.
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=200,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-django forces DEBUG off, and the manifest storage then serves no static files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client always comes from 127.0.0.1 and the cache outlives each test: tests about
    # the API rate limits set their own rates.
    settings.OPENPRM_API_RATE_USER = settings.OPENPRM_API_RATE_ANONYMOUS = "1000000/min"
    settings.OPENPRM_PARTNER_APPLICATION_RATE = "1000000/min"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


MEDIA_BUCKET = "openprm-media"


@pytest.fixture
def media_bucket(settings):
    """Uploaded files in an S3 bucket (moto's, in this process) as OPENPRM_MEDIA_STORAGE=s3
    configures it; the fixture's value is the bucket, for looking inside."""
    import boto3
    from moto import mock_aws

    from openprm.settings import media_storage

    with mock_aws():
        s3 = boto3.resource("s3", region_name="us-east-1", aws_access_key_id="testing",
                            aws_secret_access_key="testing")  # fmt: skip
        s3.create_bucket(Bucket=MEDIA_BUCKET)
        environ = {"OPENPRM_S3_BUCKET": MEDIA_BUCKET, "OPENPRM_S3_REGION": "us-east-1",
                   "OPENPRM_S3_ACCESS_KEY_ID": "testing",
                   "OPENPRM_S3_SECRET_ACCESS_KEY": "testing"}  # fmt: skip
        settings.STORAGES = {**settings.STORAGES, "default": media_storage("s3", environ)}
        yield s3.Bucket(MEDIA_BUCKET)


@pytest.fixture
def vendor(db):
    return cast.contoso()


@pytest.fixture
def victor(vendor):
    return cast.victor(vendor)


@pytest.fixture
def pam(vendor):
    return cast.pam(vendor)


@pytest.fixture
def northwind(db, pam):
    return cast.northwind(pam)


@pytest.fixture
def tailspin(db):
    return cast.tailspin()


@pytest.fixture
def alice(northwind):
    return cast.alice(northwind)


@pytest.fixture
def bob(northwind):
    return cast.bob(northwind)


@pytest.fixture
def charlie(tailspin):
    return cast.charlie(tailspin)
