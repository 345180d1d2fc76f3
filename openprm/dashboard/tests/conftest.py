import datetime

import pytest

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def today(time_machine):
    """The dashboard's fixtures are hand-computed for 1 December 2026."""
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
    return TODAY
