import datetime

import pytest

from openprm.points.tests.records import commission_book

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def today(time_machine):
    """The dashboard's fixtures are hand-computed for 1 December 2026."""
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
    return TODAY


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Export files land in the test's own folder, not in ./var."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eligible_book(today, northwind, tailspin):
    """Northwind's commission book (`records.commission_book`), computed by hand."""
    return commission_book(northwind)
