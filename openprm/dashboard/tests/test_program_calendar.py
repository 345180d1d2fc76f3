"""A figure does not depend on who looks: its days start where the program's calendar says
(settings.TIME_ZONE), not where the viewer's timezone does."""

import datetime
import re

import pytest
from django.utils import timezone

from openprm.core.dates import program_days, program_today
from openprm.points.ledger import services as ledger_services
from openprm.points.tests.factories import CertificationFactory
from openprm.points.tests.records import won

pytestmark = pytest.mark.django_db

D = datetime.date
# 20:00 UTC on 1 December: already 2 December in Tokyo, still 1 December in New York.
EVENING = datetime.datetime(2026, 12, 1, 20, tzinfo=datetime.UTC)


@pytest.fixture
def evening(time_machine):
    time_machine.move_to(EVENING, tick=False)


def northwind_trend(client, user, zone: str) -> str:
    user.timezone = zone
    user.save(update_fields=["timezone"])
    client.force_login(user)
    page = client.get("/dashboard/channel/").content.decode()
    row = page[page.index("Northwind Traders") :]
    trend = re.search(r'<td data-label="Trend" class="text-end">([^<]*)</td>', row)
    assert trend is not None, "the channel dashboard shows no Trend cell for Northwind"
    return trend.group(1)


def test_two_viewers_in_different_timezones_see_the_same_trend(
    client, victor, pam, northwind, evening
):
    CertificationFactory.create(organization=northwind)
    # The 90-day trend compares today with 90 days ago. A sale of 3 September counts 90 days
    # before 2 December (Tokyo's today) but not before 1 December (New York's, and UTC's).
    ledger_services.sale_post(opportunity=won(northwind, D(2026, 9, 3), mrr_minor=4_000_00))
    seen_in_tokyo = northwind_trend(client, victor, "Asia/Tokyo")
    seen_in_new_york = northwind_trend(client, pam, "America/New_York")
    assert seen_in_tokyo == seen_in_new_york == "+200.00"


def test_the_program_day_is_the_same_in_every_viewer_timezone(evening):
    with timezone.override("Asia/Tokyo"):
        in_tokyo = program_today()
    with timezone.override("America/New_York"):
        in_new_york = program_today()
    assert in_tokyo == in_new_york == D(2026, 12, 1)


def test_program_days_span_whole_days_of_the_program_calendar(settings):
    settings.TIME_ZONE = "Asia/Bangkok"
    start, end = program_days(D(2026, 11, 1), D(2026, 11, 30))
    assert start == datetime.datetime(2026, 10, 31, 17, tzinfo=datetime.UTC)
    assert end == datetime.datetime(2026, 11, 30, 17, tzinfo=datetime.UTC)
