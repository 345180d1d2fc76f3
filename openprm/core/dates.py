"""The dates and times people may enter, for the forms and the API alike.

A date before 1900 is a slip of the keyboard (0226 for 2026), never a deal or a task. A time must
also be one every timezone can show: Python's calendar ends with the year 9999, so 9999-12-31 in
UTC is already the year 10000 east of it, and every page showing it would fail.
"""

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_DAY = datetime.date(1900, 1, 1)
EARLIEST_MOMENT = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
# Exclusive: a day short of the calendar's end, the most any timezone is ahead of UTC.
LATEST_MOMENT = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


def too_early_message() -> str:
    return _("Enter a date in 1900 or later.")


def out_of_range_message() -> str:
    return _("Enter a time from 1900-01-01 to 9999-12-30 UTC.")


def not_before_1900(day: datetime.date) -> None:
    if day < EARLIEST_DAY:
        raise ValidationError(too_early_message(), code="date_too_early")


class DateField(forms.DateField):
    """The forms' date: from 1900 on."""

    default_validators = [not_before_1900]


def showable(moment: datetime.datetime) -> bool:
    """Whether a time can be stored in UTC and shown in every timezone; a time without an
    offset is read in the active timezone, as the services read it."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        utc = moment.astimezone(datetime.UTC)
    except OverflowError:
        return False
    return EARLIEST_MOMENT <= utc < LATEST_MOMENT


def user_zone(name: str) -> zoneinfo.ZoneInfo:
    """A person's timezone setting, UTC when it names none the system knows."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# The program's calendar. Every figure (points, trends, period totals) counts whole days, and
# where a day starts is the program's decision, not the viewer's: a PDM in Tokyo and a program
# admin in New York looking at the same moment see the same number. The program's timezone is
# the server's TIME_ZONE (settings, OPENPRM_TIME_ZONE); the viewer's timezone only decides how a
# time is shown.


def program_timezone() -> datetime.tzinfo:
    return timezone.get_default_timezone()


def program_today(now: datetime.datetime | None = None) -> datetime.date:
    """Today in the program's calendar, whoever asks."""
    return timezone.localdate(now or timezone.now(), program_timezone())


def program_days(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The moments from the start of `first` to the end of `last` (exclusive), in the program's
    calendar, for filtering times by whole days: `opened_at__gte=start, opened_at__lt=end`."""
    zone = program_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    after = last + datetime.timedelta(days=1)
    end = datetime.datetime.combine(after, datetime.time.min, tzinfo=zone)
    return start, end
