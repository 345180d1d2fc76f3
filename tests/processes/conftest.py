from pathlib import Path

import pytest

from tests.processes.support import django, scratch_database


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory):
    """One migrated database per test process; each test gets its own copy of it."""
    with scratch_database(tmp_path_factory.mktemp("template")) as env:
        django(env, "migrate", "--no-input")
        yield env["DATABASE_URL"]


@pytest.fixture
def scratch_env(tmp_path: Path, migrated_template: str):
    with scratch_database(tmp_path, template=migrated_template) as env:
        yield env
